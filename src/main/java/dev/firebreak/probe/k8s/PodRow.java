package dev.firebreak.probe.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One pod as {@code kubectl get pods} shows it: READY, STATUS and RESTARTS worked out as kubectl's
 * pod printer does, init containers included. A pod whose init container crash-loops reads
 * {@code Init:CrashLoopBackOff} with that container's restarts; one still initialising reads
 * {@code Init:0/1}; sidecars (init containers with {@code restartPolicy: Always}) count as containers.
 */
record PodRow(String name, String ready, String status, String restarts, int restartCount, boolean allReady, boolean failing) {

    /** Reasons (with or without {@code Init:}) that mean the pod is broken, not just starting. */
    private static final Set<String> BROKEN = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
            "CreateContainerConfigError", "CreateContainerError", "InvalidImageName", "RunContainerError", "StartError",
            "ContainerCannotRun", "Error", "OOMKilled", "ContainerStatusUnknown", "Failed");
    private static final Pattern NONZERO_EXIT = Pattern.compile("(ExitCode:(?!0$)-?\\d+|Signal:\\d+)");

    static PodRow of(Pod pod, Clock clock) {
        var spec = pod.getSpec();
        var status = pod.getStatus();
        List<Container> initSpecs = spec == null || spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
        List<ContainerStatus> initStatuses = status == null || status.getInitContainerStatuses() == null
                ? List.of() : status.getInitContainerStatuses();
        List<ContainerStatus> containerStatuses = status == null || status.getContainerStatuses() == null
                ? List.of() : status.getContainerStatuses();
        List<PodCondition> conditions = status == null || status.getConditions() == null ? List.of() : status.getConditions();

        int total = spec == null || spec.getContainers() == null ? 0 : spec.getContainers().size();
        int ready = 0;
        int restarts = 0;
        int sidecarRestarts = 0;
        Instant lastRestart = null;
        Instant lastSidecarRestart = null;
        String phase = status == null || status.getPhase() == null ? "" : status.getPhase();
        String reason = status != null && notEmpty(status.getReason()) ? status.getReason() : phase;
        for (PodCondition condition : conditions) {
            if ("PodScheduled".equals(condition.getType()) && "SchedulingGated".equals(condition.getReason())) reason = "SchedulingGated";
        }
        Map<String, Container> initByName = new HashMap<>();
        for (Container init : initSpecs) {
            initByName.put(init.getName(), init);
            if (isSidecar(init)) total++;
        }

        boolean initializing = false;
        for (int i = 0; i < initStatuses.size(); i++) {
            ContainerStatus init = initStatuses.get(i);
            restarts += count(init.getRestartCount());
            lastRestart = later(lastRestart, lastTermination(init));
            boolean sidecar = isSidecar(initByName.get(init.getName()));
            if (sidecar) {
                sidecarRestarts += count(init.getRestartCount());
                lastSidecarRestart = later(lastSidecarRestart, lastTermination(init));
            }
            ContainerState state = init.getState() == null ? new ContainerState() : init.getState();
            if (state.getTerminated() != null && exitCode(state.getTerminated()) == 0) continue;
            if (sidecar && Boolean.TRUE.equals(init.getStarted())) {
                if (Boolean.TRUE.equals(init.getReady())) ready++;
                continue;
            }
            if (state.getTerminated() != null) {
                ContainerStateTerminated terminated = state.getTerminated();
                reason = notEmpty(terminated.getReason()) ? "Init:" + terminated.getReason()
                        : signal(terminated) != 0 ? "Init:Signal:" + signal(terminated) : "Init:ExitCode:" + exitCode(terminated);
            } else if (state.getWaiting() != null && notEmpty(state.getWaiting().getReason())
                    && !"PodInitializing".equals(state.getWaiting().getReason())) {
                reason = "Init:" + state.getWaiting().getReason();
            } else {
                reason = "Init:" + i + "/" + initSpecs.size();
            }
            initializing = true;
            break;
        }

        if (!initializing || conditionTrue(conditions, "Initialized")) {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            boolean hasRunning = false;
            for (int i = containerStatuses.size() - 1; i >= 0; i--) {
                ContainerStatus container = containerStatuses.get(i);
                restarts += count(container.getRestartCount());
                lastRestart = later(lastRestart, lastTermination(container));
                ContainerState state = container.getState() == null ? new ContainerState() : container.getState();
                if (state.getWaiting() != null && notEmpty(state.getWaiting().getReason())) {
                    reason = state.getWaiting().getReason();
                } else if (state.getTerminated() != null && notEmpty(state.getTerminated().getReason())) {
                    reason = state.getTerminated().getReason();
                } else if (state.getTerminated() != null) {
                    reason = signal(state.getTerminated()) != 0 ? "Signal:" + signal(state.getTerminated())
                            : "ExitCode:" + exitCode(state.getTerminated());
                } else if (Boolean.TRUE.equals(container.getReady()) && state.getRunning() != null) {
                    hasRunning = true;
                    ready++;
                }
            }
            if ("Completed".equals(reason) && hasRunning) reason = conditionTrue(conditions, "Ready") ? "Running" : "NotReady";
        }

        boolean deleting = pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null;
        if (deleting && status != null && "NodeLost".equals(status.getReason())) {
            reason = "Unknown";
        } else if (deleting && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
            reason = "Terminating";
        }
        String restartsText = restarts != 0 && lastRestart != null
                ? restarts + " (" + Ages.format(Duration.between(lastRestart, clock.instant())) + " ago)"
                : String.valueOf(restarts);
        String stripped = reason.startsWith("Init:") ? reason.substring("Init:".length()) : reason;
        boolean failing = "Failed".equals(phase) || BROKEN.contains(stripped) || NONZERO_EXIT.matcher(stripped).matches();
        return new PodRow(pod.getMetadata().getName(), ready + "/" + total, reason.isEmpty() ? "Unknown" : reason,
                restartsText, restarts, ready >= total && total > 0, failing);
    }

    private static boolean isSidecar(Container init) {
        return init != null && "Always".equals(init.getRestartPolicy());
    }

    private static Instant lastTermination(ContainerStatus status) {
        return status.getLastState() == null || status.getLastState().getTerminated() == null ? null
                : Ages.parse(status.getLastState().getTerminated().getFinishedAt());
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) return b;
        return b == null || a.isAfter(b) ? a : b;
    }

    private static boolean conditionTrue(List<PodCondition> conditions, String type) {
        return conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static int exitCode(ContainerStateTerminated terminated) {
        return terminated.getExitCode() == null ? 0 : terminated.getExitCode();
    }

    private static int signal(ContainerStateTerminated terminated) {
        return terminated.getSignal() == null ? 0 : terminated.getSignal();
    }

    private static int count(Integer restarts) {
        return restarts == null ? 0 : restarts;
    }

    private static boolean notEmpty(String value) {
        return value != null && !value.isEmpty();
    }
}
