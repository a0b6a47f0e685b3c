package dev.firebreak.chat.slack;


import dev.firebreak.chat.RecordingListener;
import dev.firebreak.chat.ChatException;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcDeliveryLog;
import dev.firebreak.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Clock;
import java.util.Map;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting with bad credentials fails at once, saying which credential to fix, never showing it. */
class SlackAdapterStartTest {

    FakeSlackServer slack;

    @TempDir
    Path data;
    Database store;

    @BeforeEach
    void start() {
        slack = FakeSlackServer.start();
        store = TestDatabases.sqliteIn(data);
    }

    @AfterEach
    void stop() {
        slack.close();
        store.close();
    }

    SlackAdapter adapter(Map<String, String> credentials) {
        Map<String, String> env = new java.util.HashMap<>(credentials);
        env.put("SLACK_API_URL", slack.apiUrl());
        return SlackAdapter.fromEnvironment(env, SlackPayloads.COMMANDS, Clock.systemUTC(), new JdbcDeliveryLog(store, Clock.systemUTC())).orElseThrow();
    }

    @Test
    void a_rejected_bot_token_is_a_permanent_error_naming_the_variable() {
        slack.failNext("auth.test", FakeSlackServer.Failure.error("invalid_auth"));
        SlackAdapter adapter = adapter(Map.of("SLACK_BOT_TOKEN", "xoxb-revoked-REVOKEDTOKEN", "SLACK_APP_TOKEN", "xapp-1"));
        try {
            assertThatThrownBy(() -> adapter.start(new RecordingListener()))
                    .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.permanent()).isTrue())
                    .hasMessageContaining("invalid_auth").hasMessageContaining("SLACK_BOT_TOKEN")
                    .hasMessageNotContaining("REVOKEDTOKEN");
            assertThat(adapter.connected()).isFalse();
        } finally {
            adapter.close();
        }
    }

    @Test
    void a_rejected_app_token_is_a_permanent_error_naming_the_variable() {
        slack.failNext("apps.connections.open", FakeSlackServer.Failure.error("invalid_auth"));
        SlackAdapter adapter = adapter(Map.of("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_APP_TOKEN", "xapp-1-BADAPPTOKEN"));
        try {
            assertThatThrownBy(() -> adapter.start(new RecordingListener()))
                    .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.permanent()).isTrue())
                    .hasMessageContaining("invalid_auth").hasMessageContaining("SLACK_APP_TOKEN")
                    .hasMessageNotContaining("BADAPPTOKEN");
            assertThat(slack.socketConnections()).isZero();
        } finally {
            adapter.close();
        }
    }

    @Test
    void starting_twice_is_refused() {
        SlackAdapter adapter = adapter(Map.of("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_SIGNING_SECRET", "s"));
        try {
            adapter.start(new RecordingListener());
            assertThatThrownBy(() -> adapter.start(new RecordingListener())).isInstanceOf(IllegalStateException.class);
        } finally {
            adapter.close();
        }
    }
}
