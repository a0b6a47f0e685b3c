package dev.firebreak.schedule;

import dev.firebreak.chat.Reply;
import dev.firebreak.command.CommandContext;
import dev.firebreak.command.CommandHandler;
import dev.firebreak.command.Outcome;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /schedule list}, {@code show}, {@code run}, {@code pause}, {@code resume} and {@code done}. */
public final class ScheduleCommands {

    private final ScheduledChecks schedules;

    public ScheduleCommands(ScheduledChecks schedules) {
        this.schedules = schedules;
    }

    /** The handlers by the builtin names that {@code commands/schedule.yaml} points at. */
    public Map<String, CommandHandler> handlers() {
        Map<String, CommandHandler> handlers = new LinkedHashMap<>();
        handlers.put("schedule.list", this::list);
        handlers.put("schedule.show", this::show);
        handlers.put("schedule.run", this::run);
        handlers.put("schedule.pause", this::pause);
        handlers.put("schedule.resume", this::resume);
        handlers.put("schedule.done", this::done);
        return handlers;
    }

    private Outcome list(CommandContext ctx) {
        List<List<String>> rows = new ArrayList<>();
        for (Schedule schedule : schedules.all()) {
            boolean paused = schedules.paused(schedule);
            rows.add(List.of(schedule.name(), schedule.timing().toString(), paused ? "paused" : schedules.nextRun(schedule),
                    "#" + schedules.channelName(schedule), schedule.owner(),
                    schedules.latestRun(schedule).map(r -> r.ref() + ": " + r.summary()).orElse("not yet")));
        }
        if (rows.isEmpty()) return Outcome.done(Reply.privately("No schedules: bot/schedules.yaml defines none."));
        return Outcome.done(Reply.privately(Message.builder().heading("Scheduled checks")
                .table(List.of("schedule", "when", "next", "reports in", "owner", "last run"), rows)
                .note("/schedule show NAME for its checks and last output; /schedule run NAME runs it now").build()));
    }

    private Outcome show(CommandContext ctx) {
        Schedule schedule = schedules.schedule(ctx.arg("schedule"));
        Message.Builder out = Message.builder().heading("Schedule " + schedule.name());
        if (schedule.description() != null) out.paragraph(schedule.description());
        boolean paused = schedules.paused(schedule);
        out.field("When", schedule.timing() + (paused ? " (paused)" : ", next " + schedules.nextRun(schedule)))
                .field("Checks", schedule.runbook() != null ? "runbook " + schedule.runbook() : schedule.steps().size() + " steps")
                .field("Owner", schedule.owner());
        Optional<ScheduleRun> last = schedules.latestRun(schedule);
        if (last.isEmpty()) {
            out.paragraph("It has not run yet.");
        } else {
            ScheduleRun run = last.get();
            out.paragraph("Last run " + run.ref() + " (" + run.trigger() + "): " + run.summary());
            List<ChecklistItem> checklist = schedules.checklist(run);
            if (!checklist.isEmpty()) {
                out.paragraph("Checklist: " + checklist.stream().map(i -> i.item() + (i.open() ? " open" : " done by " + i.doneBy()))
                        .reduce((a, b) -> a + ", " + b).orElse(""));
            }
            out.preformatted(run.output());
        }
        return Outcome.done(Reply.privately(out.build()));
    }

    private Outcome run(CommandContext ctx) {
        Schedule schedule = schedules.schedule(ctx.arg("schedule"));
        ScheduleRun run = schedules.runNow(schedule, ctx.actor());
        return Outcome.done(Reply.privately("Ran " + schedule.name() + " (" + run.ref() + "): " + run.summary()
                + "; the digest is in #" + schedules.channelName(schedule) + "."));
    }

    private Outcome pause(CommandContext ctx) {
        Schedule schedule = schedules.schedule(ctx.arg("schedule"));
        schedules.pause(schedule, ctx.actor());
        return Outcome.done(Reply.privately("Paused " + schedule.name() + "; said so in #" + schedules.channelName(schedule) + "."));
    }

    private Outcome resume(CommandContext ctx) {
        Schedule schedule = schedules.schedule(ctx.arg("schedule"));
        schedules.resume(schedule, ctx.actor());
        return Outcome.done(Reply.privately("Resumed " + schedule.name() + "; next run " + schedules.nextRun(schedule) + "."));
    }

    private Outcome done(CommandContext ctx) {
        Schedule schedule = schedules.schedule(ctx.arg("schedule"));
        String item = ctx.arg("item").strip();
        List<Integer> items;
        if (item.equalsIgnoreCase("all")) {
            items = List.of();
        } else {
            try {
                items = List.of(Integer.parseInt(item));
            } catch (NumberFormatException e) {
                throw new InvalidInput("'" + item + "' is not an item: give its number from the digest, e.g. /schedule done "
                        + schedule.name() + " 2, or all.");
            }
        }
        List<ChecklistItem> after = schedules.tick(schedule, ctx.actor(), items);
        long open = after.stream().filter(ChecklistItem::open).count();
        return Outcome.done(Reply.privately(open == 0 ? "The checklist of " + schedule.name() + " is done."
                : open + " item" + (open == 1 ? "" : "s") + " of " + schedule.name() + " still open: "
                + after.stream().filter(ChecklistItem::open).map(i -> String.valueOf(i.item())).reduce((a, b) -> a + ", " + b).orElse("")));
    }
}
