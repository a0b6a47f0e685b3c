package dev.firebreak.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundTextTest {

    @Test
    void a_secret_is_masked_as_a_whole_word_and_not_inside_longer_words() {
        new Secret("env DB_PASSWORD", "hunter22");

        assertThat(Redactor.redact("password hunter22, again:hunter22.")).isEqualTo("password ****, again:****.");
        assertThat(Redactor.redact("hunter222 and xhunter22 stay")).isEqualTo("hunter222 and xhunter22 stay");
    }

    @Test
    void short_or_word_like_secrets_are_not_remembered_because_masking_them_would_mask_ordinary_words() {
        new Secret("env SHORT", "admin");
        new Secret("env DB_PASSWORD", "postgres");

        assertThat(Redactor.redact("admin panel of postgres://db")).isEqualTo("admin panel of postgres://db");
    }

    @Test
    void token_shapes_and_passwords_in_urls_are_masked_without_being_configured() {
        assertThat(Redactor.redact("use xoxb-9999-8888-ZyXwVuTsRq or ghp_0123456789abcdefABCDEF now"))
                .isEqualTo("use **** or **** now");
        assertThat(Redactor.redact("jdbc:postgresql://firebreak:Pa55-w0rd!@db:5432/firebreak"))
                .isEqualTo("jdbc:postgresql://****@db:5432/firebreak");
        assertThat(Redactor.redact("jdbc:postgresql://db/firebreak?user=fb&password=Pa55-w0rd!&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/firebreak?user=fb&password=****&ssl=true");
    }

    @Test
    void token_shapes_that_ignore_case_are_masked_in_any_case_and_every_github_prefix_is_masked() {
        assertThat(Redactor.redact("Authorization: BEARER abc.def-123456")).isEqualTo("Authorization: BEARER ****");
        assertThat(Redactor.redact("JDBC:POSTGRESQL://FB:Pa55w0rd@db/x")).isEqualTo("JDBC:POSTGRESQL://****@db/x");
        assertThat(Redactor.redact("db?user=fb&PASSWORD=Pa55w0rd")).isEqualTo("db?user=fb&PASSWORD=****");
        for (String prefix : List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_")) {
            assertThat(Redactor.redact("token " + prefix + "0123456789abcdefABCDEF")).as(prefix).isEqualTo("token ****");
        }
        assertThat(Redactor.redact("github_pat_0123456789abcdef_ABCDEF and xapp-1-A0123-456789"))
                .isEqualTo("**** and ****");
    }

    @Test
    void text_without_any_secret_or_token_shape_comes_back_unchanged() {
        new Secret("env RPC_KEY", "Qx7Lk29vBn4Mt8Wz1Rc6Yp3E");
        String plain = "INC-7 [P1] investigating | bearer of bad news: password reset at https://status.example.com";

        assertThat(Redactor.redact(plain)).isSameAs(plain);
    }

    @Test
    void keys_in_rpc_urls_are_remembered_and_masked_anywhere() {
        Redactor.rememberUrlCredentials("https://eth-mainnet.g.alchemy.com/v2/Qx7Lk29vBn4Mt8Wz1Rc6Yp3D");

        assertThat(Redactor.redact("RPC error from key Qx7Lk29vBn4Mt8Wz1Rc6Yp3D: 429")).isEqualTo("RPC error from key ****: 429");
    }

    @Test
    void control_characters_and_bidi_overrides_are_removed_and_line_breaks_kept() {
        assertThat(OutboundText.clean("\u001B[31mred\u001B[0m\u0007 and \u202Eevil\u202C\nnext\tline"))
                .isEqualTo("red and evil\nnext\tline");
    }

    /** The characters removed, as the character class that says it most plainly, checked over the whole BMP. */
    @Test
    void every_control_character_is_removed_and_every_other_character_kept() {
        java.util.regex.Pattern control = java.util.regex.Pattern.compile(
                "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]");
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < Character.MIN_SURROGATE; c++) {
            if (c != '\u001B') all.append(c);
        }

        assertThat(OutboundText.withoutControlCharacters(all.toString())).isEqualTo(control.matcher(all).replaceAll(""));
    }

    @Test
    void mentions_of_everyone_a_channel_or_a_person_are_defused() {
        String cleaned = OutboundText.clean("<!channel> <!here> <@U0BOB> <@100000000000000002> @everyone @here");

        for (String live : List.of("<!channel>", "<!here>", "<@U0BOB>", "<@100000000000000002>", "@everyone", "@here")) {
            assertThat(cleaned).doesNotContain(live);
        }
        assertThat(cleaned.replace("\u200B", "")).isEqualTo("<!channel> <!here> <@U0BOB> <@100000000000000002> @everyone @here");
    }

    @Test
    void every_text_of_a_message_is_cleaned() {
        Message message = Message.builder().heading("\u0007INC-1").paragraph("@everyone").field("a\u001B[1m", "b")
                .table(List.of("h"), List.of(List.of("\u202Ecell"))).preformatted("log\u0007").note("@here").build();

        assertThat(OutboundText.clean(message).plainText()).isEqualTo("*INC-1*\n@\u200Beveryone\na: b\nh\ncell\nlog\n_@\u200Bhere_");
    }
}
