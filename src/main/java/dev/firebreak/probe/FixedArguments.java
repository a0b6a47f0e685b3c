package dev.firebreak.probe;

import dev.firebreak.kernel.InvalidInput;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Judges the arguments a configuration fixes for a probe (a watcher's {@code with:}, a command's
 * {@code with:}, the words of a snapshot check or a scheduled step) or an action (a command's
 * {@code with:} and {@code via:}, the words of a runbook step) before anything runs, by the probe's
 * own {@link Probe#validate} or the action's own {@link Action#validate}: the rule lives once, in
 * the probe or the action, and {@code firebreak check} refuses what a run would.
 *
 * <p>Some arguments are only given when the probe runs: the arguments a command declares (typed in
 * chat) and a runbook's {@code {{parameters}}}. They are present but unknown here. The probe's (or action's)
 * judgement stops, passing, at the first such argument it reads, since whatever it would decide
 * from there depends on a value nobody has given yet; each probe therefore judges the arguments
 * that stand on their own (numbers, levels, patterns) before those it looks up together.
 */
public final class FixedArguments {

    private FixedArguments() {}

    /**
     * What a probe refuses in fixed arguments.
     *
     * @param argument the argument it is about, when it can be told: the last one the probe read whose
     *                 value or name its message gives; empty when none can be told
     * @param message  exactly what a run says
     */
    public record Problem(Optional<String> argument, String message) {}

    /**
     * @param fixed          the arguments whose values the configuration gives
     * @param givenAtRunTime the arguments only a run gives (they win over fixed ones of the same name)
     * @return what the probe refuses; empty when it accepts them, or when its judgement needs one
     *         given at run time
     */
    public static Optional<Problem> problem(Probe probe, Map<String, String> fixed, Set<String> givenAtRunTime) {
        return problem(probe::validate, "probe", fixed, givenAtRunTime);
    }

    /**
     * What an action refuses in fixed arguments, judged by its {@link Action#validate} exactly as a
     * probe's are: the same unknown arguments, the same messages as planning it.
     */
    public static Optional<Problem> problem(Action action, Map<String, String> fixed, Set<String> givenAtRunTime) {
        return problem(action::validate, "action", fixed, givenAtRunTime);
    }

    private static Optional<Problem> problem(java.util.function.Consumer<Map<String, String>> validate, String kind,
                                             Map<String, String> fixed, Set<String> givenAtRunTime) {
        Arguments args = new Arguments(fixed, givenAtRunTime);
        try {
            validate.accept(args);
            return Optional.empty();
        } catch (NotKnownYet e) {
            return Optional.empty();
        } catch (InvalidInput e) {
            return Optional.of(new Problem(args.culprit(e.getMessage()), e.getMessage()));
        } catch (RuntimeException e) {
            // a run fails the same way, as an error result saying no more than this
            return Optional.of(new Problem(Optional.empty(), "the " + kind + " fails inside Firebreak on these arguments ("
                    + e.getClass().getSimpleName() + "); report this as a bug in Firebreak"));
        }
    }

    /** The signal that the probe read an argument only a run gives. */
    private static final class NotKnownYet extends RuntimeException {
        NotKnownYet() {
            super(null, null, false, false);
        }
    }

    /** The fixed arguments as the probe reads them, remembering what it read; reading one given at run time stops it. */
    private static final class Arguments extends AbstractMap<String, String> {

        private final Map<String, String> fixed;
        private final Set<String> later;
        private final List<String> read = new ArrayList<>();

        Arguments(Map<String, String> fixed, Set<String> later) {
            this.fixed = Map.copyOf(fixed);
            this.later = Set.copyOf(later);
        }

        private void touch(Object key) {
            if (!(key instanceof String name)) return;
            read.add(name);
            if (later.contains(name)) throw new NotKnownYet();
        }

        @Override
        public String get(Object key) {
            touch(key);
            return fixed.get(key);
        }

        @Override
        public String getOrDefault(Object key, String fallback) {
            touch(key);
            return fixed.getOrDefault(key, fallback);
        }

        @Override
        public boolean containsKey(Object key) {
            touch(key);
            return fixed.containsKey(key);
        }

        /**
         * The fixed arguments one by one, then, when some are given at run time, the stop: a probe
         * going through all of them judges every fixed one it reaches before it would need those.
         */
        @Override
        public Set<Entry<String, String>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, String>> iterator() {
                    Iterator<Entry<String, String>> known = fixed.entrySet().stream()
                            .filter(entry -> !later.contains(entry.getKey())).iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return known.hasNext() || !later.isEmpty();
                        }

                        @Override
                        public Entry<String, String> next() {
                            if (!known.hasNext()) throw later.isEmpty() ? new java.util.NoSuchElementException() : new NotKnownYet();
                            Entry<String, String> entry = known.next();
                            read.add(entry.getKey());
                            return entry;
                        }
                    };
                }

                @Override
                public int size() {
                    if (!later.isEmpty()) throw new NotKnownYet(); // how many there are depends on those too
                    return fixed.size();
                }
            };
        }

        /** The argument a message is about: the last read whose value (when fixed) or name the message gives. */
        Optional<String> culprit(String message) {
            String text = message == null ? "" : message;
            for (int i = read.size() - 1; i >= 0; i--) {
                String name = read.get(i);
                String value = fixed.get(name);
                if (word(text, name) || value != null && !value.isBlank() && word(text, value.strip())) return Optional.of(name);
            }
            return Optional.empty();
        }

        private static boolean word(String text, String word) {
            return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(word) + "(?![A-Za-z0-9_])").matcher(text).find();
        }
    }
}
