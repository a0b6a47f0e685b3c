package dev.firebreak.contract;

import dev.firebreak.testing.Eventually;
import dev.firebreak.chat.console.ConsoleAdapter;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.store.JdbcOutboxStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@link ConsoleAdapter} reading lines from a pipe, as {@code firebreak console} reads
 * stdin, and printing to a buffer that this driver reads back the way a person reads the terminal.
 * A line has been handled when the adapter asks for pending messages to be delivered, which it does
 * after every line. As with a pipe, the adapter echoes each line it reads.
 */
final class ConsoleDriver implements ChatDriver {

    private static final Pattern POSTED = Pattern.compile("^\\[#(\\S+)] (m\\d+)$");
    private static final Pattern REPLY = Pattern.compile("^\\[#(\\S+)] (m\\d+) \\(thread of (m\\d+)\\)$");
    private static final Pattern EDITED = Pattern.compile("^\\[#(\\S+)] (m\\d+) \\(edited\\)$");
    private static final Pattern PRIVATE = Pattern.compile("^\\[private to (\\S+) in #(\\S+)]$");
    private static final Pattern CREATED = Pattern.compile("^\\[#(\\S+)] created( \\(private\\))?$");
    private static final Pattern TOPIC = Pattern.compile("^\\[#(\\S+)] topic: (.*)$");
    private static final Pattern INVITED = Pattern.compile("^\\[#(\\S+)] invited: (.*)$");
    /** The adapter echoes each line it reads when its input is a pipe, as {@code firebreak console} does. */
    private static final Pattern ECHO = Pattern.compile("^[A-Za-z0-9_.-]+ #[A-Za-z0-9_.-]+> .*$");

    private final ContractEnvironment environment;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    private final Semaphore linesHandled = new Semaphore(0);
    private RunningFirebreak running;
    /** Plain messages typed since the console started: the adapter numbers them u1, u2, ... */
    private int messagesTyped;
    private PrintStream typing;
    private Thread reader;

    ConsoleDriver(ContractEnvironment environment) {
        this.environment = environment;
        start();
    }

    @Override
    public String platform() {
        return "console";
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(false, false, true, false);
    }

    @Override
    public String channelNamed(String name) {
        return name;
    }

    @Override
    public void command(String person, String channelId, String line) {
        type(person, channelId, line);
        running.awaitOutboxDrained();
    }

    @Override
    public void react(String person, String channelId, String messageId, String emoji) {
        type(person, channelId, "react " + emoji + " " + messageId);
    }

    @Override
    public void unreact(String person, String channelId, String messageId, String emoji) {
        type(person, channelId, "unreact " + emoji + " " + messageId);
    }

    @Override
    public String say(String person, String channelId, String text) {
        type(person, channelId, text);
        return "u" + (++messagesTyped);
    }

    /** Types one line as {@code person} in {@code channel} and waits until the adapter has handled it. */
    private void type(String person, String channelId, String text) {
        if (running == null) throw new IllegalStateException("the console only takes input while Firebreak runs");
        typing.println(environment.idOf(person, "console") + " #" + channelId + "> " + text);
        try {
            if (!linesHandled.tryAcquire(Eventually.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the console did not handle: " + text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    @Override
    public List<Posted> postedIn(String channelId) {
        List<Posted> posted = new ArrayList<>();
        for (Section section : sections()) {
            Matcher m = POSTED.matcher(section.header());
            if (m.matches() && m.group(1).equals(channelId)) posted.add(new Posted(m.group(2), Texts.neutral(section.body())));
            Matcher edit = EDITED.matcher(section.header());
            if (edit.matches() && edit.group(1).equals(channelId)) {
                posted.replaceAll(p -> p.id().equals(edit.group(2)) ? new Posted(p.id(), Texts.neutral(section.body())) : p);
            }
        }
        return posted;
    }

    @Override
    public List<Posted> threadOf(String channelId, String messageId) {
        List<Posted> replies = new ArrayList<>();
        for (Section section : sections()) {
            Matcher m = REPLY.matcher(section.header());
            if (m.matches() && m.group(1).equals(channelId) && m.group(3).equals(messageId)) {
                replies.add(new Posted(m.group(2), Texts.neutral(section.body())));
            }
        }
        return replies;
    }

    @Override
    public List<String> privateTo(String person) {
        String id = environment.idOf(person, "console");
        List<String> shown = new ArrayList<>();
        for (Section section : sections()) {
            Matcher m = PRIVATE.matcher(section.header());
            if (m.matches() && m.group(1).equals(id)) shown.add(Texts.neutral(section.body()));
        }
        return shown;
    }

    @Override
    public List<CreatedChannel> createdChannels() {
        List<CreatedChannel> created = new ArrayList<>();
        for (Section section : sections()) {
            Matcher m = CREATED.matcher(section.header());
            if (!m.matches()) continue;
            List<String> members = new ArrayList<>();
            for (Section invite : sections()) {
                Matcher invited = INVITED.matcher(invite.header());
                if (!invited.matches() || !invited.group(1).equals(m.group(1))) continue;
                for (String id : invited.group(2).split(",\\s*")) {
                    String person = environment.personWithId("console", id);
                    if (!members.contains(person)) members.add(person);
                }
            }
            created.add(new CreatedChannel(m.group(1), m.group(1), m.group(2) != null, members));
        }
        return created;
    }

    @Override
    public Optional<String> topic(String channelId) {
        String topic = null;
        for (Section section : sections()) {
            Matcher m = TOPIC.matcher(section.header());
            if (m.matches() && m.group(1).equals(channelId)) topic = m.group(2);
        }
        return Optional.ofNullable(topic);
    }

    @Override
    public Set<String> pinned(String channelId) {
        throw new UnsupportedOperationException("a terminal shows no pins");
    }

    @Override
    public String everythingSent() {
        return output.toString(StandardCharsets.UTF_8);
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
        return Set.of(ContractEnvironment.SEQUENCER_TOKEN);
    }

    @Override
    public List<String> anchorRequests() {
        return environment.sequencer.anchorRequests();
    }

    @Override
    public synchronized void stop() {
        if (running == null) return;
        typing.close();
        try {
            reader.join(Eventually.DEADLINE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.close();
        running = null;
    }

    /** As {@code Main.console}: the console platform numbers messages on from those already delivered. */
    @Override
    public synchronized void start() {
        if (running != null) return;
        PipedInputStream stdin = new PipedInputStream(64 * 1024);
        try {
            typing = new PrintStream(new PipedOutputStream(stdin), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConsolePlatform[] platform = new ConsolePlatform[1];
        RunningFirebreak started = RunningFirebreak.start(environment, database ->
                platform[0] = new ConsolePlatform(out, new JdbcOutboxStore(database).countDelivered("console")));
        ConsoleAdapter adapter = new ConsoleAdapter(platform[0], stdin, out, environment.config.channels().incidents(),
                environment.idOf("alice", "console"), () -> {
                    started.firebreak().outbox().deliverDue();
                    linesHandled.release();
                }, true);
        linesHandled.drainPermits();
        messagesTyped = 0;
        reader = Thread.ofVirtual().name("console-input").start(() -> adapter.start(started.firebreak().engine()));
        running = started;
        try {
            // the adapter delivers once before reading its first line
            if (!linesHandled.tryAcquire(Eventually.DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the console did not start reading");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean stopped() {
        return running == null;
    }

    @Override
    public void close() {
        stop();
    }

    private record Section(String header, String body) {}

    /** The output cut at the platform's header lines ({@code [#channel] m3}, {@code [private to bob in #x]}, ...). */
    private List<Section> sections() {
        List<Section> sections = new ArrayList<>();
        String header = null;
        StringBuilder body = new StringBuilder();
        for (String line : everythingSent().split("\n", -1)) {
            if (POSTED.matcher(line).matches() || PRIVATE.matcher(line).matches() || CREATED.matcher(line).matches()
                    || TOPIC.matcher(line).matches() || INVITED.matcher(line).matches() || ECHO.matcher(line).matches()
                    || EDITED.matcher(line).matches() || REPLY.matcher(line).matches()) {
                if (header != null) sections.add(new Section(header, body.toString().strip()));
                header = line;
                body.setLength(0);
            } else if (header != null) {
                body.append(line).append('\n');
            }
        }
        if (header != null) sections.add(new Section(header, body.toString().strip()));
        return sections;
    }
}
