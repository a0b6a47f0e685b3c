package dev.firebreak.chat.slack;

/**
 * Who the bot is in Slack, from auth.test: its workspace (team), its Enterprise Grid organisation
 * when it has one (else null), its user id and bot id.
 */
record BotIdentity(String teamId, String enterpriseId, String userId, String botId) {}
