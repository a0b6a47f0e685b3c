package dev.firebreak.demo.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The Solidity fixtures compiled by solc-js, cached under {@code target/chain-fixtures} by source hash. */
final class CompiledFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode contracts;

    private CompiledFixtures(JsonNode contracts) {
        this.contracts = contracts;
    }

    static synchronized CompiledFixtures load(ChainTools tools) throws IOException, InterruptedException {
        String hash = sourceHash(tools.contracts());
        Path cache = tools.directory().resolve("../../../target/chain-fixtures/" + hash + ".json").normalize();
        if (!Files.exists(cache)) {
            Files.createDirectories(cache.getParent());
            Path partial = Files.createTempFile(cache.getParent(), "compile", ".json");
            Process node;
            try {
                node = new ProcessBuilder("node", tools.compileScript().toString())
                        .redirectOutput(partial.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
            } catch (IOException e) {
                Files.deleteIfExists(partial);
                throw new IOException("node, which compiles the Solidity fixtures with solc, cannot run (" + e.getMessage()
                        + "): install Node.js (e.g. sudo apt-get install nodejs npm)", e);
            }
            if (!node.waitFor(120, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                throw new IOException("solc-js did not finish within 120 s");
            }
            if (node.exitValue() != 0) throw new IOException("solc-js failed to compile " + tools.contracts() + " (exit " + node.exitValue() + ")");
            Files.move(partial, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return new CompiledFixtures(JSON.readTree(cache.toFile()));
    }

    private static String sourceHash(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            List<Path> sorted = files.filter(p -> p.toString().endsWith(".sol")).sorted().toList();
            for (Path file : sorted) {
                digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(file));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String bytecode(String contract) {
        JsonNode node = contracts.path(contract).path("bytecode");
        if (node.isMissingNode()) throw new IllegalArgumentException("no compiled contract " + contract);
        return node.asText();
    }
}
