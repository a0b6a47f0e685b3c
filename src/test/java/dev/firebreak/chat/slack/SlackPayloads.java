package dev.firebreak.chat.slack;

import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.SlashCommand;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Request bodies as Slack sends them: slash commands (form-encoded over HTTP, JSON inside Socket
 * Mode envelopes) and Events API callbacks. For tests and the cross-platform contract suite.
 */
public final class SlackPayloads {

    /** The slash commands the adapter tests send; the adapter routes what its catalogue names. */
    public static final CommandCatalog COMMANDS = new CommandCatalog(List.of("incident", "runbook", "diag", "action", "help").stream()
            .map(name -> new SlashCommand(name, "", List.of())).toList());

    private SlackPayloads() {}

    /** A slash command as the form body Slack POSTs in HTTP mode. */
    public static String slashCommandForm(String command, String text, String userId, String channelId,
                                          String triggerId, String responseUrl) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", "legacy-verification-token");
        form.put("team_id", FakeSlackServer.TEAM_ID);
        form.put("team_domain", "firebreak");
        form.put("channel_id", channelId);
        form.put("channel_name", "ops");
        form.put("user_id", userId);
        form.put("user_name", "person");
        form.put("command", command);
        form.put("text", text);
        form.put("api_app_id", "A0FIRE");
        form.put("response_url", responseUrl);
        form.put("trigger_id", triggerId);
        return form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** A slash command as the payload of a Socket Mode {@code slash_commands} envelope. */
    public static String slashCommandJson(String command, String text, String userId, String channelId,
                                          String triggerId, String responseUrl) {
        return """
                {"token":"t","team_id":"%s","team_domain":"firebreak","channel_id":"%s","channel_name":"ops",
                 "user_id":"%s","user_name":"person","command":"%s","text":%s,"api_app_id":"A0FIRE",
                 "is_enterprise_install":"false","response_url":"%s","trigger_id":"%s"}
                """.formatted(FakeSlackServer.TEAM_ID, channelId, userId, command, jsonString(text),
                responseUrl, triggerId);
    }

    private static String jsonString(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A {@code reaction_added} or {@code reaction_removed} event callback on message C0OPS/1700000000.000001. */
    public static String reactionEvent(String eventId, String teamId, String user, String emoji, String type) {
        return reactionEvent(eventId, teamId, user, emoji, type, "C0OPS", "1700000000.000001");
    }

    public static String reactionEvent(String eventId, String teamId, String user, String emoji, String type,
                                       String channelId, String messageTs) {
        return """
                {"token":"t","team_id":"%s","api_app_id":"A0FIRE","type":"event_callback","event_id":"%s",
                 "event_time":1700000000,
                 "event":{"type":"%s","user":"%s","reaction":"%s","item_user":"U0BOT",
                          "item":{"type":"message","channel":"%s","ts":"%s"},"event_ts":"1700000010.000100"},
                 "authorizations":[{"enterprise_id":null,"team_id":"T0FIRE","user_id":"U0BOT","is_bot":true}]}
                """.formatted(teamId, eventId, type, user, emoji, channelId, messageTs);
    }

    /** A {@code message} event callback from U1ALICE with ts 1700000100.000200. */
    public static String messageEvent(String eventId, String channelType, String channel, String text) {
        return """
                {"token":"t","team_id":"T0FIRE","api_app_id":"A0FIRE","type":"event_callback","event_id":"%s",
                 "event_time":1700000100,
                 "event":{"type":"message","user":"U1ALICE","text":"%s","ts":"1700000100.000200","channel":"%s",
                          "channel_type":"%s","event_ts":"1700000100.000200"},
                 "authorizations":[{"enterprise_id":null,"team_id":"T0FIRE","user_id":"U0BOT","is_bot":true}]}
                """.formatted(eventId, text.replace("\"", "\\\""), channel, channelType);
    }
}
