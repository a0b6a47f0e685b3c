package dev.firebreak.contract;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Drives Firebreak on one chat platform the way people would, and reads back what the platform
 * received from it. People are named by their key in {@code bot/firebreak.yaml} (alice, bob,
 * carol, mallory); the driver uses their ids for its platform. Channels are the platform's channel
 * ids. Everything read back is neutral text: the words a person would see, without the platform's
 * emphasis markup.
 *
 * <p>{@link #command} returns once the person has the command's answer and everything the command
 * queued has been posted; {@link #react}, {@link #unreact} and {@link #say} return once the platform
 * has sent the event, so their effects are awaited with a deadline.
 */
interface ChatDriver extends AutoCloseable {

    String platform();

    Capabilities capabilities();

    /** The id of a channel that exists before Firebreak starts (incidents, ops-alerts). */
    String channelNamed(String name);

    /** Types a slash command line such as {@code /incident declare P1 Anchoring lag} in a channel. */
    void command(String person, String channelId, String line);

    void react(String person, String channelId, String messageId, String emoji);

    void unreact(String person, String channelId, String messageId, String emoji);

    /** Writes a plain message in a channel and returns its id, so people can react to it. */
    String say(String person, String channelId, String text);

    /** What Firebreak posted in a channel, oldest first. */
    List<Posted> postedIn(String channelId);

    /** What Firebreak posted in the thread of one of its messages (a Slack thread, a Discord thread on it, console replies), oldest first. */
    List<Posted> threadOf(String channelId, String messageId);

    /** What only this person was shown: private (ephemeral) answers and notices, oldest first. */
    List<String> privateTo(String person);

    /** The channels Firebreak created, oldest first. */
    List<CreatedChannel> createdChannels();

    /** The channel's topic as Firebreak last set it. */
    Optional<String> topic(String channelId);

    /** The ids of the messages Firebreak pinned in a channel; only where {@link Capabilities#pinsMessages()}. */
    Set<String> pinned(String channelId);

    /** Every request body and line of output Firebreak sent to the platform, for checks that nothing secret leaked. */
    String everythingSent();

    /** Every text Firebreak keeps in its store (outbox, timelines, audit log, approval requests); empty while stopped. */
    String everythingStored();

    /** What {@code GET /status.json} serves now: the public status page. */
    String statusPageJson();

    /** Values that must never appear in anything sent: the platform's credentials and the sequencer's API token. */
    Set<String> secrets();

    /** Sends an Alertmanager webhook notification to the running Firebreak; returns the HTTP status. */
    int alertmanager(String body);

    /** The requests the sequencer stand-in received at its anchor endpoint. */
    List<String> anchorRequests();

    /** Stops Firebreak (the adapter first, then the engine and the store); the platform keeps running. */
    void stop();

    /** Starts Firebreak again on the same store, as {@code Main} does after a restart. */
    void start();

    /**
     * Whether this driver can act while Firebreak is stopped ({@link Capabilities#keepsReactionsWhileDown()}).
     * True between {@link #stop()} and {@link #start()}.
     */
    boolean stopped();

    @Override
    void close();

    /** One message Firebreak posted: its platform id and its neutral text. */
    record Posted(String id, String text) {}

    /** A channel Firebreak created, whether it is restricted, and the people given access. */
    record CreatedChannel(String id, String name, boolean restricted, List<String> members) {}
}
