package dev.firebreak.probe.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A kubeconfig file as kubectl reads it, written by a test: clusters, users, contexts and the current context. */
final class Kubeconfig {

    private final List<String> clusters = new ArrayList<>();
    private final List<String> users = new ArrayList<>();
    private final List<String> contexts = new ArrayList<>();
    private String current;

    /** A context with a cluster of the same name at {@code server} and a user with a bearer token. */
    Kubeconfig context(String name, String server) {
        return cluster(name, server).user(name + "-admin", "    token: token-of-" + name).context(name, name, name + "-admin");
    }

    Kubeconfig cluster(String name, String server) {
        clusters.add("- name: " + name + "\n  cluster:\n    server: " + server + "\n");
        return this;
    }

    /** A user; {@code body} is its indented YAML (token, client-key, exec ...). */
    Kubeconfig user(String name, String body) {
        users.add("- name: " + name + "\n  user:\n" + body + "\n");
        return this;
    }

    Kubeconfig context(String name, String cluster, String user) {
        contexts.add("- name: " + name + "\n  context:\n    cluster: " + cluster + (user == null ? "" : "\n    user: " + user) + "\n");
        return this;
    }

    Kubeconfig current(String context) {
        this.current = context;
        return this;
    }

    Path writeTo(Path file) {
        String yaml = "apiVersion: v1\nkind: Config\n"
                + (current == null ? "" : "current-context: " + current + "\n")
                + "clusters:\n" + String.join("", clusters)
                + "users:\n" + String.join("", users)
                + "contexts:\n" + String.join("", contexts);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
