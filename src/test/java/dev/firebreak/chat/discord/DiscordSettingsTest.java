package dev.firebreak.chat.discord;

import dev.firebreak.chat.CommandCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DiscordSettingsTest {

    @Test
    void without_credentials_the_adapter_is_absent_and_the_reason_names_each_missing_variable() {
        assertThat(DiscordAdapter.fromEnvironment(Map.of(), new CommandCatalog(List.of()))).isEmpty();
        var missing = (DiscordSettings.Missing) DiscordSettings.fromEnvironment(Map.of());
        assertThat(missing.explanation())
                .contains("DISCORD_BOT_TOKEN is not set")
                .contains("DISCORD_GUILD_ID is not set");
    }

    @Test
    void a_guild_name_instead_of_an_id_and_wrong_url_schemes_are_explained() {
        var missing = (DiscordSettings.Missing) DiscordSettings.fromEnvironment(Map.of(
                "DISCORD_BOT_TOKEN", "t", "DISCORD_GUILD_ID", "Firebreak Ops",
                "DISCORD_API_URL", "127.0.0.1:8080", "DISCORD_GATEWAY_URL", "http://127.0.0.1:8080"));
        assertThat(missing.problems()).containsExactly(
                "DISCORD_GUILD_ID is 'Firebreak Ops', not a numeric server id; copy the id, not the server name",
                "DISCORD_API_URL must start with http:// or https://, e.g. http://127.0.0.1:8080/api/v10/",
                "DISCORD_GATEWAY_URL must start with ws:// or wss://, e.g. ws://127.0.0.1:8080/gateway");
    }

    @Test
    void the_token_never_prints() {
        var ready = (DiscordSettings.Ready) DiscordSettings.fromEnvironment(Map.of(
                "DISCORD_BOT_TOKEN", "MTIz.secret-token", "DISCORD_GUILD_ID", "900000000000000001",
                "DISCORD_API_URL", "http://127.0.0.1:1/api/v10"));
        assertThat(ready.settings().toString()).doesNotContain("secret-token").contains("900000000000000001");
        assertThat(ready.settings().apiUrl()).contains("http://127.0.0.1:1/api/v10/");
        assertThat(ready.settings().token().reveal()).isEqualTo("MTIz.secret-token");
    }

    @Test
    void emoji_names_map_both_ways_and_unknown_names_are_refused() {
        assertThat(EmojiNames.toDiscord(":white_check_mark:")).isEqualTo("\u2705");
        assertThat(EmojiNames.toDiscord("\u274C")).isEqualTo("\u274C");
        assertThat(EmojiNames.toNeutral("\u2714\uFE0F")).isEqualTo("heavy_check_mark");
        assertThat(EmojiNames.toNeutral("<:approve:123>")).isEqualTo("<:approve:123>");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmojiNames.toDiscord("approve"))
                .hasMessageContaining("unknown emoji name 'approve'");
    }
}
