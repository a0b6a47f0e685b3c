package dev.firebreak.chat.slack;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SlackCredentialsTest {

    @Test
    void nothing_set_means_no_slack_and_says_what_to_set() {
        assertThat(SlackAdapter.fromEnvironment(Map.of(), SlackPayloads.COMMANDS, Clock.systemUTC(), (platform, key) -> {
            throw new AssertionError("no adapter, so no deliveries");
        })).isEmpty();
        assertThat(SlackCredentials.missingIn(Map.of())).satisfiesExactly(
                m -> assertThat(m).startsWith("SLACK_BOT_TOKEN is not set"),
                m -> assertThat(m).contains("SLACK_APP_TOKEN").contains("SLACK_SIGNING_SECRET"));
    }

    @Test
    void a_bot_token_alone_is_not_enough() {
        Map<String, String> env = Map.of("SLACK_BOT_TOKEN", "xoxb-secret-value");
        assertThat(SlackCredentials.fromEnvironment(env)).isEmpty();
        assertThat(SlackCredentials.missingIn(env)).singleElement().asString()
                .contains("neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET").doesNotContain("xoxb-secret-value");
    }

    @Test
    void an_app_token_selects_socket_mode_and_a_signing_secret_alone_http_mode() {
        assertThat(SlackCredentials.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_APP_TOKEN", "xapp-1",
                "SLACK_SIGNING_SECRET", "s")).orElseThrow().mode()).isEqualTo(SlackCredentials.Mode.SOCKET);
        SlackCredentials http = SlackCredentials.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-1",
                "SLACK_SIGNING_SECRET", "s", "SLACK_APP_TOKEN", " ")).orElseThrow();
        assertThat(http.mode()).isEqualTo(SlackCredentials.Mode.HTTP);
        assertThat(http.apiUrl()).isEqualTo("https://slack.com/api/");
    }

    @Test
    void the_api_url_gets_a_trailing_slash_and_nothing_secret_prints() {
        SlackCredentials credentials = SlackCredentials.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-topsecret",
                "SLACK_APP_TOKEN", "xapp-topsecret", "SLACK_API_URL", "http://127.0.0.1:9/api")).orElseThrow();
        assertThat(credentials.apiUrl()).isEqualTo("http://127.0.0.1:9/api/");
        assertThat(credentials.toString()).doesNotContain("topsecret");
        assertThat(credentials.botToken().toString()).isEqualTo("****");
    }
}
