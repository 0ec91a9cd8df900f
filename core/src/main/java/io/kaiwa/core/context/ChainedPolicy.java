package io.kaiwa.core.context;

import java.util.ArrayList;
import java.util.List;

/**
 * Policies applied in sequence, each to what the previous one left.
 *
 * @param policies the policies, in order; never {@code null} or empty
 */
public record ChainedPolicy(List<ContextPolicy> policies) implements ContextPolicy {
    public ChainedPolicy {
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("policies must not be empty");
        }
        policies = List.copyOf(policies);
    }

    @Override
    public ContextWindow apply(ContextWindow window) {
        ContextWindow w = window;
        for (ContextPolicy p : policies) {
            w = p.apply(w);
        }
        return w;
    }

    @Override
    public ContextPolicy andThen(ContextPolicy next) {
        var list = new ArrayList<>(policies);
        list.add(next);
        return new ChainedPolicy(list);
    }
}
