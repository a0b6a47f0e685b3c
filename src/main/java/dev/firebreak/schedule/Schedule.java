package dev.firebreak.schedule;

import dev.firebreak.runbook.Runbook;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code bot/schedules.yaml}: what to check, when, where to report and who owns it.
 *
 * @param runbook     a runbook whose steps are the checks (with {@code params} filled in); or
 * @param steps       the checks written here, in the runbook step shape: {@code run:} a diagnostic,
 *                    {@code check:} or {@code confirm:} something a person must do
 * @param when        {@code daily at 09:00 Europe/Berlin} and the like ({@link ScheduleTiming}); or
 * @param cron        a five-field cron expression, in {@code zone} (UTC when not given)
 * @param channel     where the digest goes: the alerts channel (the default) or the incidents channel
 * @param owner       the person (a key of {@code bot/firebreak.yaml}) who ticks off the checklist, or an on-call
 *                    rotation of {@code bot/oncall.yaml}, whose person on call at the time owns it
 *                    and is reminded of it
 * @param quiet       a run whose checks are all fine posts nothing (instead of a one-line summary)
 * @param remindAfter how long after a run an unticked checklist is reminded, once (default 4h)
 */
public record Schedule(String name, String description, String runbook, Map<String, String> params, List<Runbook.Step> steps,
                       String when, String cron, String zone, String channel, String owner, Boolean quiet,
                       Duration remindAfter) {

    public static final Duration DEFAULT_REMIND_AFTER = Duration.ofHours(4);

    public Schedule {
        params = params == null ? Map.of() : Map.copyOf(params);
        steps = steps == null ? List.of() : List.copyOf(steps);
        quiet = Boolean.TRUE.equals(quiet);
        remindAfter = remindAfter == null ? DEFAULT_REMIND_AFTER : remindAfter;
    }

    /** The report channel's name: as written without a leading #, or {@code alertsChannel}. */
    public String channelOr(String alertsChannel) {
        return channel == null || channel.isBlank() ? alertsChannel : channel.strip().replaceFirst("^#", "");
    }

    /** The timing; throws {@link dev.firebreak.kernel.InvalidInput} when it does not parse (the check reports it first). */
    public ScheduleTiming timing() {
        return ScheduleTiming.of(when, cron, zone);
    }
}
