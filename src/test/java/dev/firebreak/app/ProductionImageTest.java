package dev.firebreak.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the image would hold, read without a Docker daemon: the Dockerfile and .dockerignore, and the
 * production artifact as the build makes it. target/classes becomes target/firebreak.jar, and the
 * runtime class path that maven-dependency-plugin writes before the tests run
 * (target/runtime-classpath.txt) is what the jar's manifest and target/lib list.
 */
class ProductionImageTest {

    /** The demo's peers (kubernetes-server-mock and what it brings) and OkHttp's mock server, by artifact id. */
    private static final List<String> TEST_PEERS = List.of("kubernetes-server-mock", "mockwebserver", "mockwebserver3",
            "vertx-web", "vertx-bridge-common", "bcpkix-jdk18on", "bcutil-jdk18on");

    /** Names that only demo code or a test peer's classes carry, as class files spell them. */
    private static final List<String> DEMO_AND_PEER_NAMES = List.of("dev/firebreak/demo/", "dev.firebreak.demo.",
            "LocalDemoLauncher", "io/fabric8/kubernetes/client/server/mock/", "io/fabric8/mockwebserver/",
            "okhttp3/mockwebserver", "io/vertx/ext/web/Router");

    private static final Path DOCKERFILE = Path.of("Dockerfile");

    @Test
    void the_runtime_class_path_holds_the_bot_and_no_test_peer_or_test_framework() throws IOException {
        Path file = Path.of("target", "runtime-classpath.txt");
        assertThat(file).as("written by the build (maven-dependency-plugin, execution runtime-classpath) before the tests").exists();
        List<String> jars = Arrays.stream(Files.readString(file).trim().split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).getFileName().toString()).toList();

        assertThat(jars).anyMatch(jar -> isArtifact(jar, "kubernetes-client")).anyMatch(jar -> isArtifact(jar, "javalin"));
        for (String peer : TEST_PEERS) assertThat(jars).as("test peer " + peer).noneMatch(jar -> isArtifact(jar, peer));
        assertThat(jars).noneMatch(jar -> jar.startsWith("junit-") || jar.startsWith("assertj-") || jar.startsWith("opentest4j-"));
    }

    @Test
    void the_production_classes_hold_no_demo_class_and_name_none() throws IOException, URISyntaxException {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(classes.resolve("dev/firebreak/app/Main.class")).as("Main from target/classes, not a jar").exists();
        assertThat(classes.resolve("dev/firebreak/demo")).doesNotExist();
        assertThat(classes.resolve("META-INF/services/dev.firebreak.app.DemoLauncher")).doesNotExist();

        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path classFile : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String constants = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
                for (String name : DEMO_AND_PEER_NAMES) {
                    if (constants.contains(name)) offenders.add(classes.relativize(classFile) + " names " + name);
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void the_production_class_path_alone_checks_the_configuration_and_says_the_demo_is_not_in_it() throws Exception {
        Run check = production("check");
        assertThat(check.exitCode()).as(check.stderr()).isZero();
        assertThat(check.stdout()).contains("0 critical problems").contains("Configuration OK:");

        Run demo = production("demo");
        assertThat(demo.exitCode()).isEqualTo(1);
        assertThat(demo.stdout()).isEmpty();
        assertThat(demo.stderr().strip()).doesNotContain("\n").doesNotContain("Exception")
                .contains("The demo is not part of this build").contains("./firebreak demo");
    }

    @Test
    void the_image_runs_the_production_jar_on_a_jre_as_a_numeric_non_root_user_with_a_health_check() throws IOException {
        List<String> finalStage = stages().getLast();

        assertThat(finalStage.getFirst()).matches("FROM eclipse-temurin:\\d+-jre(-\\w+)?");
        String user = instruction(finalStage, "USER");
        Matcher uid = Pattern.compile("USER (\\d+)(:\\d+)?").matcher(user);
        assertThat(uid.matches()).as(user + " names the user by number, so Kubernetes can check runAsNonRoot").isTrue();
        assertThat(Integer.parseInt(uid.group(1))).isPositive();
        assertThat(instruction(finalStage, "HEALTHCHECK")).contains("/health").contains("FIREBREAK_HTTP_PORT");
        assertThat(instruction(finalStage, "VOLUME")).contains("/app/data");

        List<String> fromBuild = finalStage.stream().filter(line -> line.startsWith("COPY --from=")).toList();
        assertThat(fromBuild).as("dependencies first, so a code change re-copies only the jar")
                .containsExactly("COPY --from=build /src/target/lib /app/lib",
                        "COPY --from=build /src/target/firebreak.jar /app/firebreak.jar");
        assertThat(instruction(finalStage, "ENTRYPOINT")).contains("/app/firebreak.jar");
    }

    @Test
    void the_image_is_built_from_the_production_sources_only_and_the_context_holds_what_it_copies() throws IOException {
        List<String> lines = stages().stream().flatMap(List::stream).toList();
        List<String> copied = lines.stream().filter(line -> line.startsWith("COPY ") && !line.startsWith("COPY --from="))
                .map(line -> line.split("\\s+")[1]).toList();
        assertThat(copied).contains("src/main").noneMatch(source -> source.equals("src") || source.contains("demo")
                || source.contains("test") || source.startsWith("target"));
        assertThat(lines).filteredOn(line -> line.startsWith("RUN mvn") && line.contains("package"))
                .singleElement().asString().contains("-Dmaven.test.skip=true");

        List<String> ignore = Files.readAllLines(Path.of(".dockerignore")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(ignore.getFirst()).as(".dockerignore leaves everything out first").isEqualTo("*");
        List<String> sent = ignore.stream().filter(line -> line.startsWith("!")).map(line -> line.substring(1)).toList();
        assertThat(sent).containsExactlyInAnyOrderElementsOf(copied);
    }

    private static boolean isArtifact(String jar, String artifactId) {
        return jar.startsWith(artifactId + "-") && jar.length() > artifactId.length() + 1
                && Character.isDigit(jar.charAt(artifactId.length() + 1));
    }

    /** The Dockerfile's instructions, continuation lines joined and comments dropped, one list per stage. */
    private static List<List<String>> stages() throws IOException {
        List<List<String>> stages = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : Files.readAllLines(DOCKERFILE)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) continue;
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            String instruction = (pending + line).replaceAll("\\s+", " ").strip();
            pending.setLength(0);
            if (instruction.startsWith("FROM ")) stages.add(new ArrayList<>());
            assertThat(stages).as("the Dockerfile starts with FROM").isNotEmpty();
            stages.getLast().add(instruction);
        }
        return stages;
    }

    private static String instruction(List<String> stage, String keyword) {
        List<String> found = stage.stream().filter(line -> line.startsWith(keyword + " ")).toList();
        assertThat(found).as(keyword + " in the image's stage").hasSize(1);
        return found.getFirst();
    }

    private record Run(int exitCode, String stdout, String stderr) {}

    /** Runs Main in a JVM whose class path is target/classes and the runtime class path only, as the image does. */
    private static Run production(String... args) throws IOException, InterruptedException {
        Path classes = Path.of("target", "classes").toAbsolutePath();
        String classPath = classes + java.io.File.pathSeparator + Files.readString(Path.of("target", "runtime-classpath.txt")).trim();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", classPath, "dev.firebreak.app.Main"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("firebreak-production", ".out");
        Path err = Files.createTempFile("firebreak-production", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("firebreak " + String.join(" ", args) + " did not finish within 60 s");
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
