package dev.firebreak.probe.k8s;

import dev.firebreak.kernel.Message;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Execution;
import dev.firebreak.probe.PlannedAction;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rollout restart, scale and rollout undo of one allow-listed deployment. The canonical form is
 * cluster, namespace, deployment, verb and replicas or revision (plus the target images for an
 * undo and the approval policy), so an approval binds to exactly what will change. After it runs,
 * the post-condition is read back from the API server.
 */
final class DeploymentAction implements Action {

    static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    /** The key of the execution that last changed the deployment ({@link Execution#key()}). */
    static final String EXECUTION_KEY = "firebreak.dev/execution-key";
    /** The hash of the plan that execution carried out: a repeat is recognised only for the same key and the same change. */
    static final String EXECUTION_PLAN = "firebreak.dev/execution-plan";
    static final int MAX_REPLICAS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fixed parameter ({@code with: {stop: "true"}}) of the command that may scale to zero. */
    static final String STOP = "stop";

    private final DeploymentVerb verb;
    private final String handlerName;
    private final Clusters clusters;
    private final Clock clock;

    DeploymentAction(DeploymentVerb verb, String handlerName, Clusters clusters, Clock clock) {
        this.verb = verb;
        this.handlerName = handlerName;
        this.clusters = clusters;
        this.clock = clock;
    }

    @Override
    public Planning prepare(Map<String, String> args) {
        // what stands on its own first, so a check of fixed arguments judges it while chat gives the rest
        int replicas = verb == DeploymentVerb.SCALE ? requiredReplicas(args) : -1;
        String revision = verb == DeploymentVerb.UNDO ? requestedRevision(args.get("revision")) : null;
        Clusters.Cluster cluster = clusters.resolve(args);
        String name = KubernetesNames.deployment(args.get("deployment"), cluster.name(), cluster.config());
        return () -> {
            try {
                return plan(cluster, name, replicas, revision);
            } catch (InvalidInput e) {
                throw e;
            } catch (ClusterConnector.ClusterUnresolved e) {
                throw new InvalidInput("Refused: " + e.getMessage() + " Nothing was changed.");
            } catch (RuntimeException e) {
                throw new InvalidInput("Cannot plan " + verb.label() + " of " + name + " in cluster " + cluster.name() + ": "
                        + KubernetesFailures.describe(e, cluster.config()) + ". Nothing was changed; try again when the cluster answers.");
            }
        };
    }

    /** {@code previous} (also when none is given) or a revision number; which revisions exist is the cluster's to say. */
    private static String requestedRevision(String requested) {
        if (requested == null || requested.isBlank() || requested.strip().equals("previous")) return "previous";
        try {
            Long.parseLong(requested.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInput("'" + requested + "' is not a revision number; give one from /diag history, or 'previous'.");
        }
        return requested.strip();
    }

    private PlannedAction plan(Clusters.Cluster cluster, String name, int replicas, String requestedRevision) {
        Deployment deployment = DeploymentReads.require(cluster, name);
        Optional<String> paused = pausedRefusal(deployment, cluster);
        if (paused.isPresent()) throw new InvalidInput(paused.get());
        Optional<String> policy = cluster.config().approvalsOrDefault().policyFor(verb, replicas);

        Map<String, String> canonical = new LinkedHashMap<>();
        canonical.put("cluster", cluster.name());
        canonical.put("namespace", cluster.namespace());
        canonical.put("deployment", name);
        canonical.put("verb", verb.label());
        canonical.put("approval", policy.orElse(ActionApprovals.NONE));

        String target = cluster.name() + "/" + cluster.namespace() + " deployment/" + name;
        Message.Builder preview = Message.builder();
        int current = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        switch (verb) {
            case RESTART -> preview.heading("Rollout restart " + target)
                    .field("Replicas", String.valueOf(current))
                    .paragraph("Sets " + RESTARTED_AT + " on the pod template; pods are replaced one by one.");
            case SCALE -> {
                canonical.put("replicas", String.valueOf(replicas));
                preview.heading("Scale " + target + " from " + current + " to " + replicas + " replicas");
                if (replicas == 0) preview.paragraph("Stops every pod of " + name + ".");
            }
            case UNDO -> {
                ReplicaSet revision = targetRevision(cluster, deployment, requestedRevision);
                long number = DeploymentReads.revisionNumber(revision);
                List<String> images = DeploymentReads.images(revision.getSpec().getTemplate());
                canonical.put("revision", String.valueOf(number));
                canonical.put("images", String.join(",", images));
                preview.heading("Rollout undo " + target + " to revision " + number)
                        .field("Current revision", DeploymentReads.annotation(deployment.getMetadata(), ClusterProbes.REVISION))
                        .field("Current images", String.join(", ", DeploymentReads.images(deployment.getSpec().getTemplate())))
                        .field("Images after undo", String.join(", ", images));
            }
        }
        preview.note(policy.map(p -> "Needs approval under policy " + p + ".").orElse("Runs without approval."));
        return new PlannedAction(handlerName, canonical, preview.build());
    }

    /** The policy bot/clusters.yaml gives this verb in this cluster, carried in the plan under {@code approval}. */
    @Override
    public Optional<String> requiredPolicy(PlannedAction plan) {
        return KubernetesOperations.approvalPolicy(plan);
    }

    @Override
    public ActionResult execute(PlannedAction plan, Execution execution) {
        Map<String, String> canonical = plan.canonical();
        if (!handlerName.equals(plan.action()) || !verb.label().equals(canonical.get("verb"))) {
            return ActionResult.failed("Refused: this plan is for " + plan.action() + ", not " + handlerName + ".");
        }
        String policy = canonical.getOrDefault("approval", ActionApprovals.NONE);
        if (!ActionApprovals.NONE.equals(policy) && !(execution instanceof Execution.Approved approved && approved.covers(plan))) {
            // the engine gates on requiredPolicy; this is the last line of defence should a caller not
            return ActionResult.failed("Refused: bot/clusters.yaml requires approval under policy " + policy + " for this "
                    + verb.label() + ", but it was run without one. Nothing was changed.");
        }
        Clusters.Cluster cluster;
        String name;
        try {
            cluster = clusters.resolve(Map.of("cluster", canonical.getOrDefault("cluster", "")));
            name = KubernetesNames.deployment(canonical.get("deployment"), cluster.name(), cluster.config());
        } catch (InvalidInput e) {
            return ActionResult.failed("Refused: " + e.getMessage());
        }
        if (!cluster.namespace().equals(canonical.get("namespace"))) {
            return ActionResult.failed("Refused: cluster " + cluster.name() + " is now configured for namespace "
                    + cluster.namespace() + ", but the approved plan names " + canonical.get("namespace") + ". Plan it again.");
        }
        String target = cluster.name() + "/" + cluster.namespace() + " deployment/" + name;
        // written with the change itself, in the same request, so a repeat of this execution is recognised
        Map<String, String> mark = new LinkedHashMap<>();
        mark.put(EXECUTION_KEY, execution.key());
        mark.put(EXECUTION_PLAN, plan.hash());
        try {
            RollableScalableResource<Deployment> resource =
                    cluster.client().apps().deployments().inNamespace(cluster.namespace()).withName(name);
            Deployment before = resource.get();
            if (before == null) return ActionResult.failed(target + " no longer exists; nothing was changed.");
            if (carries(before, mark)) {
                return verify(before, canonical, target, "Already done under " + nameOf(execution) + ". ");
            }
            Optional<String> paused = pausedRefusal(before, cluster);
            if (paused.isPresent()) return ActionResult.failed(paused.get());
            switch (verb) {
                case RESTART -> {
                    String now = clock.instant().toString();
                    resource.edit(d -> new DeploymentBuilder(d)
                            .editMetadata().addToAnnotations(mark).endMetadata()
                            .editSpec().editTemplate().editOrNewMetadata().addToAnnotations(RESTARTED_AT, now)
                            .endMetadata().endTemplate().endSpec().build());
                }
                case SCALE -> {
                    // one merge patch (RBAC verb patch) sets the replicas and the execution mark together
                    int replicas = Integer.parseInt(canonical.get("replicas"));
                    resource.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":" + json(mark)
                            + "},\"spec\":{\"replicas\":" + replicas + "}}");
                }
                case UNDO -> {
                    Deployment current = resource.get();
                    ReplicaSet revision = DeploymentReads.revisions(cluster, current).stream()
                            .filter(rs -> String.valueOf(DeploymentReads.revisionNumber(rs)).equals(canonical.get("revision")))
                            .findFirst().orElse(null);
                    if (revision == null) {
                        return ActionResult.failed("Revision " + canonical.get("revision") + " of " + target
                                + " is gone (its ReplicaSet was deleted); nothing was changed. Check /diag history.");
                    }
                    if (!String.join(",", DeploymentReads.images(revision.getSpec().getTemplate())).equals(canonical.get("images"))) {
                        return ActionResult.failed("Revision " + canonical.get("revision") + " of " + target
                                + " no longer has the approved images; nothing was changed. Plan the undo again.");
                    }
                    PodTemplateSpec template = templateOf(revision);
                    resource.edit(d -> new DeploymentBuilder(d)
                            .editMetadata().addToAnnotations(mark).endMetadata()
                            .editSpec().withTemplate(template).endSpec().build());
                }
            }
            return verify(resource.get(), canonical, target, "");
        } catch (ClusterConnector.ClusterUnresolved e) {
            return ActionResult.failed("Refused: " + e.getMessage() + " Nothing was changed.");
        } catch (RuntimeException e) {
            return ActionResult.failed(verb.label() + " of " + target + " failed: "
                    + KubernetesFailures.describe(e, cluster.config()));
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Whether the deployment records this very execution (its key) making this very change (its plan). */
    private static boolean carries(Deployment deployment, Map<String, String> mark) {
        return mark.entrySet().stream()
                .allMatch(m -> m.getValue().equals(DeploymentReads.annotation(deployment.getMetadata(), m.getKey())));
    }

    private static String nameOf(Execution execution) {
        return execution instanceof Execution.Approved approved ? "request " + approved.ref() : "execution " + execution.key();
    }

    /**
     * A paused deployment rolls nothing out, so kubectl refuses {@code rollout restart} ("can't
     * restart paused deployment (run rollout resume first)") and {@code rollout undo} ("you cannot
     * rollback a paused deployment; resume it first"); scaling still works. Empty when the verb may run.
     */
    private Optional<String> pausedRefusal(Deployment deployment, Clusters.Cluster cluster) {
        if (verb == DeploymentVerb.SCALE || deployment.getSpec() == null || !Boolean.TRUE.equals(deployment.getSpec().getPaused())) {
            return Optional.empty();
        }
        String name = deployment.getMetadata().getName();
        String what = verb == DeploymentVerb.RESTART ? "restarted" : "rolled back";
        return Optional.of("Refused: deployment " + name + " in " + cluster.name() + "/" + cluster.namespace()
                + " is paused, and a paused deployment cannot be " + what + " (kubectl refuses it too). Resume it first "
                + "(kubectl rollout resume deployment/" + name + " -n " + cluster.namespace() + "), then ask again. Nothing was changed.");
    }

    /** Reads the post-condition back: replicas, restartedAt, or the undone template's images. */
    private ActionResult verify(Deployment after, Map<String, String> canonical, String target, String prefix) {
        if (after == null) return ActionResult.failed(prefix + target + " disappeared after the change.");
        if (verb != DeploymentVerb.SCALE && after.getSpec() != null && Boolean.TRUE.equals(after.getSpec().getPaused())) {
            return ActionResult.failed(prefix + "The " + verb.label() + " of " + target + " was written, but the deployment "
                    + "was paused meanwhile, so no pod is replaced until someone resumes it.");
        }
        return switch (verb) {
            case RESTART -> {
                String restartedAt = after.getSpec().getTemplate().getMetadata() == null ? ""
                        : DeploymentReads.annotation(after.getSpec().getTemplate().getMetadata(), RESTARTED_AT);
                yield restartedAt.isEmpty()
                        ? ActionResult.failed(prefix + "Restart of " + target + " sent, but " + RESTARTED_AT + " is not set.")
                        : succeeded(prefix + "Restarted " + target + ": " + RESTARTED_AT + " = " + restartedAt + ".", after);
            }
            case SCALE -> {
                int wanted = Integer.parseInt(canonical.get("replicas"));
                Integer replicas = after.getSpec().getReplicas();
                yield replicas != null && replicas == wanted
                        ? succeeded(prefix + "Scaled " + target + ": spec.replicas is " + replicas + " (read back).", after)
                        : ActionResult.failed(prefix + "Scaled " + target + " to " + wanted + ", but spec.replicas reads " + replicas + ".");
            }
            case UNDO -> {
                String images = String.join(",", DeploymentReads.images(after.getSpec().getTemplate()));
                yield images.equals(canonical.get("images"))
                        ? succeeded(prefix + "Rolled " + target + " back to revision " + canonical.get("revision")
                        + ": images are now " + images.replace(",", ", ") + " (read back).", after)
                        : ActionResult.failed(prefix + "Undo of " + target + " sent, but the images read " + images
                        + " instead of " + canonical.get("images") + ".");
            }
        };
    }

    private static ActionResult succeeded(String summary, Deployment after) {
        Integer ready = after.getStatus() == null ? null : after.getStatus().getReadyReplicas();
        Message details = Message.builder().paragraph(summary)
                .field("Ready replicas now", ready == null ? "0" : String.valueOf(ready))
                .note("Pods change over the next minutes; follow with /diag pods.").build();
        return new ActionResult(ActionResult.Outcome.SUCCEEDED, summary, details);
    }

    private ReplicaSet targetRevision(Clusters.Cluster cluster, Deployment deployment, String requested) {
        List<ReplicaSet> revisions = DeploymentReads.revisions(cluster, deployment);
        String name = deployment.getMetadata().getName();
        String available = String.join(", ", revisions.stream().map(rs -> String.valueOf(DeploymentReads.revisionNumber(rs))).toList());
        long current;
        try {
            current = Long.parseLong(DeploymentReads.annotation(deployment.getMetadata(), ClusterProbes.REVISION));
        } catch (NumberFormatException e) {
            current = revisions.isEmpty() ? 0 : DeploymentReads.revisionNumber(revisions.getLast());
        }
        if (requested.equals("previous")) {
            final long now = current;
            return revisions.stream().filter(rs -> DeploymentReads.revisionNumber(rs) < now)
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new InvalidInput(name + " has no revision before " + now
                            + " to roll back to. Revisions: " + (available.isEmpty() ? "none" : available) + "."));
        }
        long wanted = Long.parseLong(requested);
        if (wanted == current) {
            throw new InvalidInput("Revision " + wanted + " is what " + name + " runs now; pick another of " + available + ".");
        }
        return revisions.stream().filter(rs -> DeploymentReads.revisionNumber(rs) == wanted).findFirst()
                .orElseThrow(() -> new InvalidInput(name + " has no revision " + wanted + ". Revisions: "
                        + (available.isEmpty() ? "none" : available) + " (see /diag history)."));
    }

    /** The ReplicaSet's pod template without the label the controller adds, as kubectl undo does. */
    private static PodTemplateSpec templateOf(ReplicaSet revision) {
        PodTemplateSpec source = revision.getSpec().getTemplate();
        Map<String, String> labels = source.getMetadata() == null || source.getMetadata().getLabels() == null
                ? new HashMap<>() : new HashMap<>(source.getMetadata().getLabels());
        labels.remove("pod-template-hash");
        return new PodTemplateSpecBuilder(source)
                .withMetadata(new ObjectMetaBuilder(source.getMetadata()).withLabels(labels).build())
                .build();
    }

    private static int requiredReplicas(Map<String, String> args) {
        String raw = args.get("replicas");
        if (raw == null || raw.isBlank()) {
            throw new InvalidInput("Give the number of replicas, from 0 to " + MAX_REPLICAS + " (0 stops the deployment).");
        }
        int replicas = ClusterProbes.intArg(args, "replicas", 0, 0, MAX_REPLICAS);
        if (replicas == 0 && !"true".equals(args.get(STOP))) {
            throw new InvalidInput("Scaling to 0 stops the deployment: use /action stop CLUSTER DEPLOYMENT, "
                    + "which asks for approval.");
        }
        return replicas;
    }
}
