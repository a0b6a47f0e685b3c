package dev.firebreak.demo.sql;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The demo sequencer's PostgreSQL, as the seed's sequencer has: the server
 * {@value #URL_VARIABLE} names (a database of its own in it, dropped at the end), else a private
 * server started from this machine's PostgreSQL programs ({@code initdb}, {@code pg_ctl}) in a
 * folder beside the demo's store, on a free loopback port, kept between runs of {@code ./firebreak
 * demo} so only the first one initialises it (a test's is deleted when it stops). PostgreSQL refuses to run as root; as root the private server runs as the
 * {@code postgres} account Debian's package creates ({@code runuser}). When neither can be had,
 * {@link #locate} says why in one line, and the demo's sequencer database is SQLite.
 */
public final class DemoPostgres implements AutoCloseable {

    public static final String URL_VARIABLE = "FIREBREAK_DEMO_POSTGRES_URL";
    /** The folder of the private server, beside the demo's store. */
    public static final String FOLDER = "sequencer-postgres";
    private static final String USER = "firebreak";
    private static final Pattern CREDENTIAL = Pattern.compile("([?&])(user|password)=([^&]*)");

    private final String url;
    private final String user;
    private final String password;
    private final String description;
    private final Runnable stop;

    private DemoPostgres(String url, String user, String password, String description, Runnable stop) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.description = description;
        this.stop = stop;
    }

    /** A PostgreSQL for the demo, or why there is none. */
    public sealed interface Located permits Found, Missing {}

    public record Found(DemoPostgres postgres) implements Located {}

    public record Missing(String reason) implements Located {}

    /**
     * {@value #URL_VARIABLE} from {@code env} when set, else a private server in {@code folder}
     * from the PostgreSQL programs found on the {@code PATH} or where packages install them.
     */
    public static Located locate(Map<String, String> env, Path folder, boolean keep) {
        String given = env.get(URL_VARIABLE);
        if (given != null && !given.isBlank()) {
            try {
                return new Found(inServer(given.strip()));
            } catch (SQLException e) {
                return new Missing(URL_VARIABLE + " names a server the demo cannot use (" + e.getMessage() + ")");
            }
        }
        Optional<Path> programs = programs(env.getOrDefault("PATH", ""));
        if (programs.isEmpty()) {
            return new Missing("no PostgreSQL programs (initdb, pg_ctl) on this machine: install PostgreSQL "
                    + "(sudo apt-get install postgresql, or brew install postgresql) or set " + URL_VARIABLE);
        }
        try {
            return new Found(privateServer(programs.get(), folder.resolve(FOLDER).toAbsolutePath(), keep));
        } catch (IOException | RuntimeException e) {
            return new Missing("the private PostgreSQL in " + folder.resolve(FOLDER) + " did not start (" + e.getMessage()
                    + "); set " + URL_VARIABLE + " to a server instead");
        }
    }

    /** The JDBC URL, without credentials (those are {@link #user()} and {@link #password()}). */
    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Which PostgreSQL this is, in a few words for the demo's first screen. */
    public String description() {
        return description;
    }

    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    @Override
    public void close() {
        stop.run();
    }

    // ---- a server the environment names: a database of its own (a schema where it may not create one), dropped at the end

    private static DemoPostgres inServer(String given) throws SQLException {
        String user = parameter(given, "user");
        String password = parameter(given, "password");
        String bare = CREDENTIAL.matcher(given).replaceAll("$1").replaceAll("[?&]+$", "").replaceAll("\\?&+", "?");
        String name = "firebreak_demo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PGSimpleDataSource server = new PGSimpleDataSource();
        server.setURL(bare);
        server.setUser(user);
        server.setPassword(password);
        server.setConnectTimeout(5);
        String where = bare.replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
        try {
            // a database of its own: the seed's queries read the whole database's catalogue (pg_stat_user_tables, ...)
            execute(server, "CREATE DATABASE " + name);
            String url = bare.replaceFirst("^(jdbc:postgresql://[^/?]+)(/[^?]*)?", "$1/" + name);
            return new DemoPostgres(url, user, password, "PostgreSQL at " + where + " (" + URL_VARIABLE + "), database " + name, () -> {
                try {
                    execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                } catch (SQLException e) {
                    System.err.println("The demo could not drop its database " + name + ": " + e.getMessage());
                }
            });
        } catch (SQLException noCreateDb) {
            execute(server, "CREATE SCHEMA " + name);
            String url = bare + (bare.contains("?") ? "&" : "?") + "currentSchema=" + name;
            return new DemoPostgres(url, user, password, "PostgreSQL at " + where + " (" + URL_VARIABLE + "), schema " + name, () -> {
                try {
                    execute(server, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
                } catch (SQLException e) {
                    System.err.println("The demo could not drop its schema " + name + ": " + e.getMessage());
                }
            });
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String parameter(String url, String name) {
        Matcher m = CREDENTIAL.matcher(url);
        while (m.find()) {
            if (m.group(2).equals(name)) return java.net.URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
        }
        return "";
    }

    // ---- a private server from this machine's PostgreSQL programs

    /** The folder holding initdb and pg_ctl: on the PATH, else the newest under the usual install places. */
    static Optional<Path> programs(String path) {
        List<Path> candidates = new ArrayList<>();
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) candidates.add(Path.of(dir));
        }
        for (String root : List.of("/usr/lib/postgresql", "/opt/homebrew/opt", "/usr/local/opt")) {
            try (Stream<Path> versions = Files.list(Path.of(root))) {
                versions.filter(p -> p.getFileName().toString().matches("\\d+|postgresql(@\\d+)?"))
                        .sorted(Comparator.comparing((Path p) -> p.getFileName().toString().replaceAll("\\D", ""),
                                Comparator.comparingInt(v -> v.isEmpty() ? 0 : Integer.parseInt(v))).reversed())
                        .forEach(p -> candidates.add(p.resolve("bin")));
            } catch (IOException | RuntimeException e) {
                // not installed there
            }
        }
        return candidates.stream().filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst();
    }

    private static DemoPostgres privateServer(Path programs, Path folder, boolean keep) throws IOException {
        List<String> runAs = runAs(folder);
        // as root the server runs as postgres, which may not reach the checkout (a home folder of
        // mode 700): its data then lives in postgres's home, one folder per demo folder, kept as well
        Path data = runAs.isEmpty() ? folder : inPostgresHome(folder);
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            deleteRecursively(data);
            Files.createDirectories(data);
            if (!runAs.isEmpty()) own(data);
            run(runAs, 120, programs.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust",
                    "--encoding=UTF8", "--no-locale", "--no-sync");
        }
        if (Files.exists(data.resolve("postmaster.pid"))) {
            // a server a killed demo left running, or its pid file: stop it (or forget the file) before starting
            tryRun(runAs, programs.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
            Files.deleteIfExists(data.resolve("postmaster.pid"));
        }
        int port = freePort();
        run(runAs, 60, programs.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data.resolve("server.log").toString(),
                "-w", "-t", "30", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off",
                "start");
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        Runnable stop = () -> {
            tryRun(runAs, programs.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
            if (keep) return;
            try {
                deleteRecursively(data);
                Files.deleteIfExists(data.resolveSibling(data.getFileName() + ".for"));
            } catch (IOException e) {
                System.err.println("Could not delete the demo's PostgreSQL data in " + data + ": " + e.getMessage());
            }
        };
        String version = Files.readString(data.resolve("PG_VERSION")).strip();
        return new DemoPostgres(url, USER, "", "a private PostgreSQL " + version + " on 127.0.0.1:" + port
                + " (its data in " + data + ")", stop);
    }

    /** The data folder in postgres's home for the demo folder {@code folder}, with a note in each saying where the other is. */
    private static Path inPostgresHome(Path folder) throws IOException {
        Path servers = postgresHome().resolve("firebreak-demo");
        Path data = servers.resolve(Integer.toHexString(folder.toAbsolutePath().normalize().toString().hashCode()));
        Files.createDirectories(servers);
        own(servers);
        forgetServersOfRemovedFolders(servers);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(FOLDER + ".txt"), "The demo's PostgreSQL data is in " + data + "\n");
        Files.writeString(servers.resolve(data.getFileName() + ".for"), folder.toAbsolutePath().normalize().toString());
        return data;
    }

    /** The data of servers whose demo folder is gone (a test's, or a deleted checkout's) is deleted too. */
    private static void forgetServersOfRemovedFolders(Path servers) throws IOException {
        try (Stream<Path> markers = Files.list(servers)) {
            for (Path marker : markers.filter(p -> p.getFileName().toString().endsWith(".for")).toList()) {
                Path folder = Path.of(Files.readString(marker).strip());
                if (Files.exists(folder)) continue;
                String name = marker.getFileName().toString();
                deleteRecursively(servers.resolve(name.substring(0, name.length() - ".for".length())));
                Files.deleteIfExists(marker);
            }
        }
    }

    private static Path postgresHome() throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] fields = line.split(":");
            if (fields.length > 5 && fields[0].equals("postgres")) return Path.of(fields[5]);
        }
        throw new IOException("no home folder for the postgres account");
    }

    /** How to run the server's programs: as this user, or as root through runuser as the postgres account. */
    private static List<String> runAs(Path data) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) return List.of();
        Path runuser = Stream.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser").map(Path::of)
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IOException("PostgreSQL does not run as root, and runuser is missing to run it as postgres"));
        try {
            data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        } catch (IOException e) {
            throw new IOException("PostgreSQL does not run as root, and there is no postgres account to run it as");
        }
        return List.of(runuser.toString(), "-u", "postgres", "--");
    }

    private static void own(Path data) throws IOException {
        UserPrincipal postgres = data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(data, postgres);
    }

    private static void run(List<String> runAs, int seconds, String... command) throws IOException {
        List<String> line = new ArrayList<>(runAs);
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output;
        try {
            boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!ended) {
                process.destroyForcibly();
                throw new IOException(Path.of(command[0]).getFileName() + " took more than " + seconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted");
        }
        if (process.exitValue() != 0) {
            String last = output.lines().reduce((a, b) -> b).orElse("exit " + process.exitValue());
            throw new IOException(Path.of(command[0]).getFileName() + ": " + last);
        }
    }

    private static void tryRun(List<String> runAs, String... command) {
        try {
            run(runAs, 60, command);
        } catch (IOException e) {
            // nothing running to stop
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) return;
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
