package dev.firebreak.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.firebreak.kernel.InvalidInput;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a schedule is due: a five-field cron expression (minute hour day-of-month month
 * day-of-week, as crontab(5) reads it) in a time zone, or one of the phrases {@code daily at
 * 09:00 Europe/Berlin}, {@code weekly on monday at 09:00 Europe/Berlin} and {@code monthly on day
 * 1 at 09:00 Europe/Berlin}, which stand for the cron expressions {@code 0 9 * * *},
 * {@code 0 9 * * 1} and {@code 0 9 1 * *}. The slots are computed by cron-utils in the zone, so a
 * daily 09:00 stays 09:00 on the wall clock across a daylight-saving change.
 */
public final class ScheduleTiming {

    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Pattern PHRASE = Pattern.compile(
            "(daily|weekly on ([a-z]+)|monthly on day (\\d{1,2})) at (\\d{1,2}):(\\d{2})(?: (\\S+))?", Pattern.CASE_INSENSITIVE);

    private final String description;
    private final ExecutionTime times;
    private final ZoneId zone;

    private ScheduleTiming(String description, Cron cron, ZoneId zone) {
        this.description = description;
        this.times = ExecutionTime.forCron(cron);
        this.zone = zone;
    }

    /**
     * Reads {@code when} (a phrase) or {@code cron} with {@code zone} (UTC when not given). Throws
     * {@link InvalidInput} saying what is wrong and how to write it.
     */
    public static ScheduleTiming of(String when, String cron, String zone) {
        if ((when == null) == (cron == null)) {
            throw new InvalidInput("give either when (e.g. when: daily at 09:00 Europe/Berlin) or cron (e.g. cron: \"0 9 * * 1-5\"), "
                    + "not " + (when == null ? "neither" : "both"));
        }
        if (cron != null) {
            ZoneId id = zone(zone == null ? "UTC" : zone);
            return new ScheduleTiming(cron.strip() + " (" + id + ")", parse(cron.strip()), id);
        }
        if (zone != null) throw new InvalidInput("zone goes with cron; with when, end the phrase with the zone (daily at 09:00 " + zone + ")");
        Matcher m = PHRASE.matcher(when.strip());
        if (!m.matches()) {
            throw new InvalidInput("'" + when + "' is not a schedule: write daily at 09:00 Europe/Berlin, weekly on monday at 09:00 "
                    + "Europe/Berlin, monthly on day 1 at 09:00 Europe/Berlin, or a cron expression under cron:");
        }
        int hour = Integer.parseInt(m.group(4));
        int minute = Integer.parseInt(m.group(5));
        if (hour > 23 || minute > 59) throw new InvalidInput(m.group(4) + ":" + m.group(5) + " is not a time of day; write 00:00 to 23:59");
        String days = "* * *";
        if (m.group(2) != null) {
            days = "* * " + dayOfWeek(m.group(2));
        } else if (m.group(3) != null) {
            int day = Integer.parseInt(m.group(3));
            if (day < 1 || day > 28) {
                throw new InvalidInput("day " + day + " is not in every month; use a day from 1 to 28 (or a cron expression)");
            }
            days = day + " * *";
        }
        ZoneId id = zone(m.group(6) == null ? "UTC" : m.group(6));
        return new ScheduleTiming(when.strip(), parse(minute + " " + hour + " " + days), id);
    }

    private static Cron parse(String expression) {
        try {
            return CRON.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("'" + expression + "' is not a cron expression (" + e.getMessage().strip()
                    + "); write five fields: minute hour day-of-month month day-of-week, e.g. \"0 9 * * 1-5\"");
        }
    }

    private static ZoneId zone(String name) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw new InvalidInput("'" + name + "' is not a time zone; use a region name such as Europe/Berlin, America/New_York or UTC");
        }
    }

    private static int dayOfWeek(String name) {
        for (DayOfWeek day : DayOfWeek.values()) {
            String full = day.name().toLowerCase(Locale.ROOT);
            if (full.equals(name.toLowerCase(Locale.ROOT)) || full.substring(0, 3).equals(name.toLowerCase(Locale.ROOT))) {
                return day.getValue() % 7;
            }
        }
        throw new InvalidInput("'" + name + "' is not a day of the week; write monday to sunday");
    }

    /** The newest slot at or before {@code now}; empty when the expression has never been due. */
    public Optional<Instant> lastSlot(Instant now) {
        ZonedDateTime at = now.atZone(zone);
        if (times.isMatch(at.withSecond(0).withNano(0)) && at.getSecond() == 0 && at.getNano() == 0) return Optional.of(now);
        return times.lastExecution(at).map(ZonedDateTime::toInstant);
    }

    /** The first slot after {@code after}. */
    public Optional<Instant> nextSlot(Instant after) {
        return times.nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant);
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return description;
    }
}
