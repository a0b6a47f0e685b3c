package dev.firebreak.demo.chain;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where anvil, node and the Solidity fixtures live: {@code src/test/chain} of the checkout
 * (the build runs {@code npm ci} there). Override with {@code -Dfirebreak.chainTools=DIR}.
 */
record ChainTools(Path directory) {

    static ChainTools locate() {
        String configured = System.getProperty("firebreak.chainTools", System.getenv("FIREBREAK_CHAIN_TOOLS"));
        if (configured != null && !configured.isBlank()) return check(Path.of(configured));
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("src/test/chain");
            if (Files.isDirectory(candidate.resolve("contracts"))) return check(candidate);
        }
        throw new IllegalStateException("cannot find src/test/chain (anvil, solc and the fixtures); run from the checkout "
                + "or set -Dfirebreak.chainTools=/path/to/src/test/chain");
    }

    private static ChainTools check(Path dir) {
        if (!Files.isExecutable(dir.resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"))) {
            throw new IllegalStateException("anvil is not installed in " + dir + "; run `npm ci` there or `./mvnw initialize`");
        }
        return new ChainTools(dir);
    }

    Path anvil() {
        return directory.resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
    }

    Path compileScript() {
        return directory.resolve("compile.js");
    }

    Path contracts() {
        return directory.resolve("contracts");
    }
}
