package dev.firebreak.contract;

import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.app.CommandCatalogs;
import dev.firebreak.testing.Eventually;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.kernel.Emoji;
import dev.firebreak.chat.discord.DiscordAdapter;
import dev.firebreak.chat.discord.DiscordDriver;
import dev.firebreak.chat.discord.FakeDiscord;
import dev.firebreak.chat.SlashCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The real {@link DiscordAdapter} (JDA) against {@link FakeDiscord}'s REST API and gateway. A typed
 * command line becomes the slash command interaction Discord would send (subcommand and options by
 * name, from the same specs the bot registers); reactions and messages arrive as gateway dispatches.
 */
final class DiscordChatDriver implements ChatDriver {

    private static final long VIEW_CHANNEL = 1L << 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ContractEnvironment environment;
    private final FakeDiscord discord;
    private final CommandCatalog commands;
    private final Map<String, SlashCommand> specs = new LinkedHashMap<>();
    /** Interaction ids by the person who sent them. */
    private final Map<String, String> interactionOwners = new LinkedHashMap<>();
    private DiscordAdapter adapter;
    private RunningFirebreak running;

    DiscordChatDriver(ContractEnvironment environment) {
        this.environment = environment;
        this.discord = new FakeDiscord();
        for (String person : List.of("alice", "bob", "carol", "mallory")) discord.addGuildMember(environment.idOf(person, "discord"));
        discord.start();
        // As Bot does: the slash commands Discord registers come from the same registry the engine uses.
        commands = CommandCatalogs.of(environment.config.commands());
        commands.commands().forEach(spec -> specs.put(spec.name(), spec));
        start();
    }

    @Override
    public String platform() {
        return "discord";
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, true, false, true);
    }

    @Override
    public String channelNamed(String name) {
        return String.valueOf(discord.channelNamed(name, 0).get("id"));
    }

    @Override
    public void command(String person, String channelId, String line) {
        requireRunning();
        String id = discord.newId();
        DiscordDriver.Interaction interaction = DiscordDriver.interactionFor(specs, line);
        synchronized (interactionOwners) {
            interactionOwners.put(id, person);
        }
        discord.interaction(id, FakeDiscord.GUILD_ID, environment.idOf(person, "discord"), channelId, interaction.command(),
                interaction.subcommand(), interaction.options());
        discord.awaitCall("PATCH|DELETE", "webhooks/.*/token-" + id + "/messages/@original", Eventually.DEADLINE);
        running.awaitOutboxDrained();
    }

    @Override
    public void react(String person, String channelId, String messageId, String emoji) {
        String userId = environment.idOf(person, "discord");
        if (stopped()) {
            // Discord keeps the reaction; Firebreak reads it when it is back.
            discord.addReactionSilently(messageId, Emoji.unicode(emoji), userId);
            return;
        }
        discord.reactionAdded(FakeDiscord.GUILD_ID, channelId, messageId, userId, Emoji.unicode(emoji));
    }

    @Override
    public void unreact(String person, String channelId, String messageId, String emoji) {
        if (stopped()) {
            // Discord forgets the reaction; Firebreak reads what is left when it is back.
            discord.removeReactionSilently(messageId, Emoji.unicode(emoji), environment.idOf(person, "discord"));
            return;
        }
        discord.reactionRemoved(FakeDiscord.GUILD_ID, channelId, messageId, environment.idOf(person, "discord"), Emoji.unicode(emoji));
    }

    @Override
    public String say(String person, String channelId, String text) {
        requireRunning();
        return discord.messageCreated(channelId, environment.idOf(person, "discord"), text);
    }

    @Override
    public List<Posted> postedIn(String channelId) {
        return discord.messagesIn(channelId).stream()
                .filter(m -> FakeDiscord.BOT_ID.equals(((Map<?, ?>) m.get("author")).get("id")))
                .map(m -> new Posted(String.valueOf(m.get("id")), Texts.neutral(text(JSON.valueToTree(m)))))
                .toList();
    }

    /** A thread started on a Discord message is a channel whose id is the message's. */
    @Override
    public List<Posted> threadOf(String channelId, String messageId) {
        Map<String, Object> thread = discord.channel(messageId);
        if (thread == null || !channelId.equals(thread.get("parent_id"))) return List.of();
        return postedIn(messageId);
    }

    @Override
    public List<String> privateTo(String person) {
        List<String> shown = new ArrayList<>();
        List<String> mine;
        synchronized (interactionOwners) {
            mine = interactionOwners.entrySet().stream().filter(e -> e.getValue().equals(person)).map(Map.Entry::getKey).toList();
        }
        for (String id : mine) {
            String token = "token-" + id;
            for (FakeDiscord.Call call : discord.calls("PATCH|POST", "webhooks/\\d+/" + token + "(/messages/@original)?")) {
                JsonNode body = call.json();
                if (call.method().equals("POST") && (body.path("flags").asInt() & 64) == 0) {
                    throw new AssertionError("a follow-up to " + person + "'s command was not ephemeral: " + call.body());
                }
                shown.add(Texts.neutral(text(body)));
            }
        }
        String userId = environment.idOf(person, "discord");
        String directMessages = "920" + userId.substring(3); // the fake's direct message channel with this person
        discord.calls("POST", "channels/" + directMessages + "/messages").forEach(c -> shown.add(Texts.neutral(text(c.json()))));
        return shown;
    }

    @Override
    public List<CreatedChannel> createdChannels() {
        List<CreatedChannel> created = new ArrayList<>();
        for (FakeDiscord.Call call : discord.calls("POST", "guilds/\\d+/channels")) {
            JsonNode sent = call.json();
            if (sent.path("type").asInt(0) != 0) continue;
            Map<String, Object> channel = discord.channelNamed(sent.path("name").asText(), 0);
            boolean restricted = false;
            List<String> members = new ArrayList<>();
            for (JsonNode overwrite : sent.path("permission_overwrites")) {
                String id = overwrite.path("id").asText();
                if (id.equals(FakeDiscord.GUILD_ID) && (overwrite.path("deny").asLong() & VIEW_CHANNEL) != 0) restricted = true;
                if (overwrite.path("type").asInt() == 1 && (overwrite.path("allow").asLong() & VIEW_CHANNEL) != 0
                        && !id.equals(FakeDiscord.BOT_ID)) {
                    members.add(environment.personWithId("discord", id));
                }
            }
            String channelId = String.valueOf(channel.get("id"));
            for (FakeDiscord.Call invite : discord.calls("PUT", "channels/" + channelId + "/permissions/\\d+")) {
                String id = invite.path().substring(invite.path().lastIndexOf('/') + 1);
                if ((invite.json().path("allow").asLong() & VIEW_CHANNEL) != 0 && !members.contains(environment.personWithId("discord", id))) {
                    members.add(environment.personWithId("discord", id));
                }
            }
            created.add(new CreatedChannel(channelId, sent.path("name").asText(), restricted, members));
        }
        return created;
    }

    @Override
    public Optional<String> topic(String channelId) {
        Map<String, Object> channel = discord.channel(channelId);
        return channel == null ? Optional.empty() : Optional.ofNullable((String) channel.get("topic"));
    }

    @Override
    public Set<String> pinned(String channelId) {
        Set<String> pinned = new LinkedHashSet<>();
        for (FakeDiscord.Call call : discord.calls("PUT", "channels/" + channelId + "/(messages/)?pins/\\d+")) {
            pinned.add(call.path().substring(call.path().lastIndexOf('/') + 1));
        }
        return pinned;
    }

    @Override
    public String everythingSent() {
        StringBuilder all = new StringBuilder();
        // The token travels in the Authorization header and the gateway's IDENTIFY, as Discord requires.
        for (FakeDiscord.Call call : discord.calls()) all.append(call.method()).append(' ').append(call.path()).append(' ').append(call.body()).append('\n');
        return all.toString();
    }

    @Override
    public String everythingStored() {
        return running == null ? "" : running.everythingStored();
    }

    @Override
    public int alertmanager(String body) {
        return running.alertmanager(body);
    }

    @Override
    public String statusPageJson() {
        return running.statusPageJson();
    }

    @Override
    public Set<String> secrets() {
        return Set.of(FakeDiscord.TOKEN, ContractEnvironment.SEQUENCER_TOKEN);
    }

    @Override
    public List<String> anchorRequests() {
        return environment.sequencer.anchorRequests();
    }

    /** As {@code Bot.close}: the adapter (gateway) first, then the engine and the store. */
    @Override
    public synchronized void stop() {
        if (running == null) return;
        adapter.close();
        running.close();
        adapter = null;
        running = null;
    }

    /** As {@code Bot.start}: the adapter from the environment connects when the engine is assembled on its platform. */
    @Override
    public synchronized void start() {
        if (running != null) return;
        adapter = DiscordAdapter.fromEnvironment(discord.environment(), commands).orElseThrow();
        try {
            running = RunningFirebreak.start(environment, adapter.platform());
        } catch (RuntimeException e) {
            adapter.close();
            adapter = null;
            throw e;
        }
        adapter.start(running.firebreak().engine());
    }

    @Override
    public boolean stopped() {
        return running == null;
    }

    private void requireRunning() {
        if (stopped()) throw new IllegalStateException("Firebreak is stopped");
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            discord.close();
        }
    }

    /** What a person reads in a Discord message: its content, then each embed's title, description and fields. */
    static String text(JsonNode message) {
        List<String> parts = new ArrayList<>();
        if (!message.path("content").asText("").isEmpty()) parts.add(message.path("content").asText());
        for (JsonNode embed : message.path("embeds")) {
            if (embed.hasNonNull("title")) parts.add(embed.path("title").asText());
            if (embed.hasNonNull("description")) parts.add(embed.path("description").asText());
            for (JsonNode field : embed.path("fields")) parts.add(field.path("name").asText() + ": " + field.path("value").asText());
        }
        for (JsonNode file : message.path("attachments")) {
            if (file.hasNonNull(dev.firebreak.chat.discord.FakeDiscord.ATTACHED_TEXT)) {
                parts.add(file.path(dev.firebreak.chat.discord.FakeDiscord.ATTACHED_TEXT).asText());
            }
        }
        return String.join("\n", parts);
    }
}
