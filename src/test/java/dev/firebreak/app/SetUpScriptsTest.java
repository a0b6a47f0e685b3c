package dev.firebreak.app;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A newcomer's first commands on a machine that lacks something: {@code ./mvnw} and {@code ./firebreak}
 * without a JDK 21 or newer, {@code ./firebreak demo} without npm. Each runs the real script with a
 * PATH that holds only a shell and the few tools the scripts use, and JDK folders that hold a JDK 17.
 */
class SetUpScriptsTest {

    /** What the scripts call before they decide; nothing else is on the PATH, so no java and no npm. */
    private static final List<String> TOOLS = List.of("sh", "bash", "env", "dirname", "sed", "readlink", "cat");

    @TempDir
    Path machine;
    private Path bin;
    private Path jdks;

    @BeforeEach
    void aMachineWithOnlyAJdk17() throws IOException {
        bin = Files.createDirectories(machine.resolve("bin"));
        for (String tool : TOOLS) Files.createSymbolicLink(bin.resolve(tool), onPath(tool));
        jdks = Files.createDirectories(machine.resolve("jvm"));
        Path jdk17 = Files.createDirectories(jdks.resolve("java-17-openjdk"));
        Files.writeString(jdk17.resolve("release"), "JAVA_VERSION=\"17.0.12\"\n");
        for (String program : List.of("java", "javac")) {
            Path stub = Files.createDirectories(jdk17.resolve("bin")).resolve(program);
            Files.writeString(stub, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void mvnw_without_a_jdk_21_says_in_one_line_what_to_install() throws Exception {
        Run run = run(Path.of("."), Map.of("JAVA_HOME", jdks.resolve("java-17-openjdk").toString()), "./mvnw", "--version");
        assertOneLineAboutTheJdk(run);
    }

    @Test
    void firebreak_without_a_jdk_21_says_in_one_line_what_to_install() throws Exception {
        Run run = run(Path.of("."), Map.of(), "./firebreak", "check");
        assertOneLineAboutTheJdk(run);
    }

    @Test
    void a_jdk_21_or_newer_among_the_jdk_folders_is_picked_over_the_older_java_home() throws Exception {
        Path current = Files.createSymbolicLink(jdks.resolve("jdk-current"), Path.of(System.getProperty("java.home")));
        Run run = run(Path.of("."), Map.of("JAVA_HOME", jdks.resolve("java-17-openjdk").toString()),
                "sh", "-c", ". ./.mvn/jdk.sh && printf %s \"$JAVA_HOME\"");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo(current.toString());
    }

    @Test
    void the_demo_without_npm_says_in_one_line_to_install_node_and_npm_and_builds_nothing() throws Exception {
        Path checkout = Files.createDirectories(machine.resolve("checkout"));
        Files.copy(Path.of("firebreak"), checkout.resolve("firebreak"));
        Files.createDirectories(checkout.resolve(".mvn"));
        Files.copy(Path.of(".mvn", "jdk.sh"), checkout.resolve(".mvn/jdk.sh"));

        Run run = run(checkout, Map.of("JAVA_HOME", System.getProperty("java.home")), "./firebreak", "demo");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().strip()).doesNotContain("\n").contains("npm is not installed")
                .contains("install Node.js and npm").contains("apt-get install nodejs npm");
        assertThat(checkout.resolve("target")).doesNotExist();
    }

    private static void assertOneLineAboutTheJdk(Run run) {
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().strip()).doesNotContain("\n").doesNotContain("unbound variable")
                .contains("needs a JDK 21 or newer").contains("apt-get install openjdk-21-jdk").contains("JAVA_HOME=");
    }

    private record Run(int exitCode, String stdout, String stderr) {}

    private Run run(Path directory, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        Map<String, String> environment = builder.environment();
        environment.clear();
        Map<String, String> machineEnv = new LinkedHashMap<>(Map.of("PATH", bin.toString(), "FIREBREAK_JDK_DIRS", jdks.toString()));
        machineEnv.putAll(env);
        environment.putAll(machineEnv);
        Path out = machine.resolve("stdout");
        Path err = machine.resolve("stderr");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Path onPath(String tool) {
        Optional<Path> found = Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst();
        return found.orElseThrow(() -> new IllegalStateException(tool + " is not on the PATH of this machine"));
    }
}
