package dev.firebreak.probe.chain;

import dev.firebreak.demo.chain.DemoChain;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test a {@link DemoChain} (anvil with the fixtures deployed) as a parameter and stops it
 * when the context that asked for it ends: per class when asked for in {@code @BeforeAll}.
 */
public final class DevnetExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DevnetExtension.class);

    private record Running(DemoChain chain) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            chain.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DemoChain.class;
    }

    /** Ask for it in a {@code @BeforeAll} of a {@code PER_CLASS} test: the store is then the class's. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent("devnet", key -> new Running(DemoChain.start()), Running.class).chain();
    }
}
