package dev.firebreak.app;

import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.probe.chain.DemoSafePauser;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The repository's configuration loaded against the demo chain, as the chain tests through the whole bot run it. */
final class DevnetConfig {

    private DevnetConfig() {}

    /** {@code bot/} with the demo chain's environment, a sequencer nobody answers at, and {@code overrides} over both. */
    static FirebreakConfig load(DemoChain devnet, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(devnet.env());
        env.put("SEQUENCER_URL", "http://127.0.0.1:9");
        env.putAll(overrides);
        return new ConfigLoader(Path.of("."), env).load();
    }

    /** As {@link #load}, with the PIL orchestrator's actions sent through the demo Safe pilSafe. */
    static FirebreakConfig pilViaSafe(DemoChain devnet) {
        FirebreakConfig loaded = load(devnet, Map.of());
        return loaded.withChains(DemoSafePauser.viaSafe(loaded.chains()));
    }
}
