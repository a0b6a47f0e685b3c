package dev.firebreak.oncall;

import dev.firebreak.chat.Reply;
import dev.firebreak.command.CommandContext;
import dev.firebreak.command.CommandHandler;
import dev.firebreak.command.Outcome;
import dev.firebreak.kernel.Durations;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;
import dev.firebreak.people.People;
import dev.firebreak.people.Person;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /oncall} (who is on call now and next, per rotation) and {@code /oncall override @person 4h}. */
public final class OncallCommands {

    /** An override longer than this is a schedule change: edit bot/oncall.yaml instead. */
    static final Duration LONGEST_OVERRIDE = Duration.ofDays(14);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final OnCallRoster roster;
    private final People people;
    private final Clock clock;

    public OncallCommands(OnCallRoster roster, People people, Clock clock) {
        this.roster = roster;
        this.people = people;
        this.clock = clock;
    }

    /** The handler by the builtin name {@code commands/oncall.yaml} points at. */
    public Map<String, CommandHandler> handlers() {
        return Map.of("oncall", ctx -> "override".equals(ctx.arg("action")) ? override(ctx) : show(ctx));
    }

    private Outcome show(CommandContext ctx) {
        if (ctx.arg("person") != null) {
            throw new InvalidInput("/oncall shows who is on call and takes nothing more; to cover for someone: /oncall override @person 4h");
        }
        if (roster.rotations().isEmpty()) {
            return Outcome.done(Reply.privately("No rotations are configured; add them to bot/oncall.yaml."));
        }
        Instant now = clock.instant();
        List<List<String>> rows = new ArrayList<>();
        for (String rotation : roster.rotations()) {
            OnCallRoster.OnCall current = roster.at(rotation, now);
            OnCallRoster.OnCall next = roster.next(rotation, now);
            rows.add(List.of(rotation + " (" + roster.rotation(rotation).orElseThrow().name() + ")",
                    current.person() + current.override().map(by -> " (override by " + by + ")").orElse(""),
                    TIME.format(current.until()), next.person() + next.override().map(by -> " (override)").orElse("")));
        }
        return Outcome.done(Reply.privately(Message.builder().heading("On call now")
                .table(List.of("rotation", "on call", "until", "next"), rows).build()));
    }

    private Outcome override(CommandContext ctx) {
        String usage = " Usage: /oncall override @person DURATION [ROTATION], e.g. /oncall override @bob 4h";
        if (ctx.arg("person") == null || ctx.arg("duration") == null) {
            throw new InvalidInput("Say who covers and for how long." + usage);
        }
        Person person = people.byReference(ctx.platform(), ctx.arg("person")).orElseThrow(() -> new InvalidInput(
                "Unknown person " + ctx.arg("person") + "; use one of " + String.join(", ", people.all().stream().map(Person::key).toList())
                        + "." + usage));
        Duration length;
        try {
            length = Durations.parse(ctx.arg("duration"));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("DURATION " + e.getMessage() + "." + usage);
        }
        if (length.toMinutes() < 1 || length.compareTo(LONGEST_OVERRIDE) > 0) {
            throw new InvalidInput("An override lasts from 1m to " + Durations.format(LONGEST_OVERRIDE) + "; for longer, change the rotation "
                    + "in bot/oncall.yaml.");
        }
        if (roster.rotations().isEmpty()) throw new InvalidInput("No rotations are configured; add them to bot/oncall.yaml.");
        String rotation = ctx.arg("rotation") == null ? roster.rotations().getFirst() : ctx.arg("rotation");
        if (roster.rotation(rotation).isEmpty()) {
            throw new InvalidInput("Unknown rotation " + rotation + "; use one of " + String.join(", ", roster.rotations()) + ".");
        }
        if (!ctx.person().hasRole("commander") && !ctx.actor().equals(person.key())) {
            return Outcome.refused("Only a commander or " + person.key() + " may put " + person.key() + " on call; ask "
                    + person.key() + " to run it, or a commander.");
        }
        Instant now = clock.instant();
        OnCallRoster.OnCall before = roster.at(rotation, now);
        roster.override(rotation, person.key(), now, now.plus(length), ctx.actor());
        return Outcome.done(Reply.publicly(person.key() + " is on call for " + rotation + " until " + TIME.format(now.plus(length))
                + " (override by " + ctx.actor() + (before.person().equals(person.key()) ? ")." : "; covering " + before.person() + ").")));
    }
}
