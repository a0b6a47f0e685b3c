package dev.firebreak.incident;

import dev.firebreak.command.CommandContext;
import dev.firebreak.command.Outcome;

import java.util.Optional;

/**
 * The public status page, as the incident commands reach it: {@code /incident post status-page}
 * publishes there, and {@code /incident resolve} asks what to offer for it. The status feature
 * implements it; nothing reaches the page but what someone publishes.
 */
public interface PublicStatusPage {

    /** {@code /incident post status-page <component> <state> <text>} for {@code incident}. */
    Outcome publish(CommandContext ctx, Incident incident);

    /** What to tell whoever just resolved {@code resolved} while the page still shows it: the exact command that publishes the resolution. */
    Optional<String> resolutionHint(Incident resolved);
}
