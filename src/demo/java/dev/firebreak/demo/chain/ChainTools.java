package dev.firebreak.demo.chain;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where anvil, solc and the Solidity fixtures live: {@code src/test/chain} of the checkout, where
 * {@code npm ci} installs solc and, on Linux x86-64 only, anvil ({@code ./mvnw verify} and
 * {@code ./firebreak demo} run it). {@code FIREBREAK_ANVIL} (or {@code -Dfirebreak.anvil}) names another
 * anvil binary, e.g. Foundry's on a Mac; {@code FIREBREAK_CHAIN_TOOLS} (or {@code -Dfirebreak.chainTools})
 * another folder.
 */
record ChainTools(Path directory, Path anvil) {

    private static final String NPM_ANVIL = "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

    static ChainTools locate() {
        Path directory = folder();
        if (!Files.isRegularFile(directory.resolve("node_modules/solc/package.json"))) {
            throw new IllegalStateException("solc is not installed in " + directory.resolve("node_modules")
                    + ": install Node.js and npm (e.g. sudo apt-get install nodejs npm) and run `npm ci` there, "
                    + "or ./firebreak demo, which does");
        }
        return new ChainTools(directory, anvil(directory));
    }

    private static Path folder() {
        String configured = setting("firebreak.chainTools", "FIREBREAK_CHAIN_TOOLS");
        if (configured != null) return Path.of(configured);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("src/test/chain");
            if (Files.isDirectory(candidate.resolve("contracts"))) return candidate;
        }
        throw new IllegalStateException("cannot find src/test/chain (the Solidity fixtures, anvil and solc): run from the "
                + "checkout or set FIREBREAK_CHAIN_TOOLS=/path/to/src/test/chain");
    }

    private static Path anvil(Path directory) {
        String configured = setting("firebreak.anvil", "FIREBREAK_ANVIL");
        if (configured != null) {
            Path anvil = Path.of(configured);
            if (!Files.isRegularFile(anvil) || !Files.isExecutable(anvil)) {
                throw new IllegalStateException("FIREBREAK_ANVIL is " + configured + ", which is not an executable file: "
                        + "point it at Foundry's anvil binary (e.g. ~/.foundry/bin/anvil)");
            }
            return anvil;
        }
        Path anvil = directory.resolve(NPM_ANVIL);
        if (!Files.isExecutable(anvil)) {
            throw new IllegalStateException("anvil is not installed in " + directory.resolve("node_modules")
                    + ": npm installs it on Linux x86-64 only; elsewhere install Foundry (https://getfoundry.sh) "
                    + "and set FIREBREAK_ANVIL to its anvil binary");
        }
        return anvil;
    }

    private static String setting(String property, String variable) {
        String value = System.getProperty(property, System.getenv(variable));
        return value == null || value.isBlank() ? null : value.trim();
    }

    Path compileScript() {
        return directory.resolve("compile.js");
    }

    Path contracts() {
        return directory.resolve("contracts");
    }

    /** A compiled contract of the npm OpenZeppelin release, e.g. {@code TimelockController.json}. */
    Path openZeppelinArtifact(String name) {
        return directory.resolve("node_modules/@openzeppelin/contracts/build/contracts").resolve(name);
    }

    /** A compiled contract of the npm Safe release, e.g. {@code Safe.sol/Safe.json}. */
    Path safeArtifact(String path) {
        return directory.resolve("node_modules/@safe-global/safe-contracts/build/artifacts/contracts").resolve(path);
    }
}
