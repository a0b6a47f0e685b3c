package dev.firebreak.incident;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.Outbox;
import dev.firebreak.incident.TimelineEvent.Type;
import dev.firebreak.kernel.Emoji;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import dev.firebreak.people.People;
import dev.firebreak.people.Person;

import java.time.Duration;
import java.util.Optional;

/**
 * A :pushpin: on a message in an incident channel puts that message on the incident's timeline.
 * The text comes from the messages seen in the channel (kept two days) or, for Firebreak's own
 * messages, from the outbox.
 */
public final class IncidentPins {

    private final IncidentService incidents;
    private final People people;
    private final Outbox outbox;
    private final Cache<String, String> recentMessages = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofDays(2)).build();

    public IncidentPins(IncidentService incidents, People people, Outbox outbox) {
        this.incidents = incidents;
        this.people = people;
        this.outbox = outbox;
    }

    public void onMessage(Inbound.ChannelMessage message) {
        recentMessages.put(message.platform() + ":" + message.messageId(), message.text());
    }

    private static String shortened(String text) {
        String oneLine = text.strip().replaceAll("\\s*\\n\\s*", " / ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 299) + "\u2026";
    }

    /** Pins on an incident channel's message; true when the reaction was a pin there. */
    public boolean onReaction(Inbound.Reaction reaction) {
        if (!reaction.added() || !Emoji.normalise(reaction.emoji()).equals("pushpin")) return false;
        Optional<Incident> incident = incidents.inChannel(reaction.platform(), reaction.channelId());
        Optional<Person> person = people.byPlatformId(reaction.platform(), reaction.userId());
        if (incident.isEmpty() || person.isEmpty()) return false;
        String text = Optional.ofNullable(recentMessages.getIfPresent(reaction.platform() + ":" + reaction.messageId()))
                .or(() -> outbox.postedMessage(reaction.platform(), reaction.channelId(), reaction.messageId()).map(m -> shortened(m.plainText())))
                .orElse("message " + reaction.messageId() + " (its text was not seen by Firebreak)");
        incidents.record(incident.get(), person.get().key(), Type.NOTE, "Pinned: " + text);
        outbox.enqueue(reaction.platform(), reaction.channelId(), Message.text(Icon.PINNED, "Added to the timeline of "
                + incident.get().id() + "."));
        return true;
    }
}
