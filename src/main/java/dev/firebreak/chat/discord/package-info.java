/**
 * Firebreak on one Discord server, through JDA. Nothing outside this package sees a JDA type.
 *
 * <ul>
 *   <li>{@link dev.firebreak.chat.discord.DiscordAdapter}: connects (token and server from
 *       {@code DISCORD_BOT_TOKEN}, {@code DISCORD_GUILD_ID}), registers every slash command of the
 *       neutral {@link dev.firebreak.chat.CommandCatalog} on that server, and turns interactions,
 *       reactions and messages into {@link dev.firebreak.chat.Inbound} events.</li>
 *   <li>{@link dev.firebreak.chat.discord.DiscordCommandRules}: Discord's registration rules, which the
 *       configuration check holds the catalogue against before anything starts.</li>
 *   <li>{@link dev.firebreak.chat.discord.DiscordPlatform}: the outbound calls the engine makes.</li>
 * </ul>
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li>Every slash command is deferred ephemerally at once, on JDA's event thread, and run on a
 *       virtual thread. A private reply replaces the ephemeral placeholder; a public reply is posted in
 *       the channel (naming who ran what) and the placeholder deleted.</li>
 *   <li>{@code postPrivately}: Discord has ephemeral messages only inside an interaction, so while the
 *       person's command is being answered it is an ephemeral follow-up; otherwise a direct message,
 *       and when the person does not accept DMs, a message in the channel that mentions them.</li>
 *   <li>Gateway intents: guild messages, message content and guild message reactions (JDA adds
 *       guilds); no member list, presences or voice. Only user mentions notify, never roles or
 *       everyone.</li>
 *   <li>Reactions count only from the configured server, never the bot's own; reactions on one
 *       message reach the engine in gateway order. After connecting, a resumed or a new session, the
 *       reactions on pending approval messages are read back and handed to the engine.</li>
 *   <li>Discord's limits (2,000 characters per message; embed title 256, description 4,096, 25 fields,
 *       field value 1,024, 6,000 in all) are met by splitting into more embeds and messages; verbatim
 *       blocks too long to show are attached as text files. Nothing is cut.</li>
 *   <li>JDA waits out 429 answers itself and never repeats a 4xx; 401 and 403 come back once as a
 *       permanent {@link dev.firebreak.chat.ChatException} saying what to fix.</li>
 * </ul>
 */
package dev.firebreak.chat.discord;
