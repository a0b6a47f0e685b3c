package dev.firebreak.probe.chain;

import dev.firebreak.demo.chain.DemoChain;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link DemoChain} (anvil with the fixtures deployed) per test class that asks for it as a
 * parameter; it is stopped when the class is done.
 */
public final class DevnetExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DevnetExtension.class);

    private record Running(DemoChain chain) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            chain.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DemoChain.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context.getRoot().equals(context) ? context
                : context.getTestClass().isPresent() && context.getParent().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().get() : context;
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent("devnet", key -> new Running(DemoChain.start()), Running.class).chain();
    }
}
