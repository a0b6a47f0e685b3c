package dev.firebreak.chat.slack;

/** Who the bot is in Slack, from auth.test: its workspace (team), its user id and bot id. */
record BotIdentity(String teamId, String userId, String botId) {}
