package dev.firebreak.probe.k8s;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Short, chat-safe descriptions of why a call to the API server failed. */
final class KubernetesFailures {

    private KubernetesFailures() {}

    static String describe(Exception e, ClusterConfig cluster) {
        if (e instanceof ClusterConnector.ClusterUnresolved) return e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root instanceof TimeoutException || root instanceof InterruptedIOException) {
            return "the API server did not answer within " + cluster.timeoutSecondsOrDefault() + "s";
        }
        if (root instanceof ConnectException) {
            return "cannot connect to the API server (" + cluster.connectionLabel() + ")";
        }
        if (e instanceof KubernetesClientException k && k.getCode() > 0) {
            return switch (k.getCode()) {
                case 401 -> "the API server rejected the bot's credentials (401); check its token or kube context";
                case 403 -> "the bot's service account may not do this (403); compare its Role with bot/kubernetes-rbac.yaml";
                case 404 -> "not found (404)";
                default -> "API server answered " + k.getCode()
                        + (k.getStatus() != null && k.getStatus().getMessage() != null ? ": " + k.getStatus().getMessage() : "");
            };
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + firstLine(message));
    }

    static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
