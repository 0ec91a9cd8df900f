package io.kaiwa.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.persistence.EmbeddedDatabase;
import io.kaiwa.runtime.provider.Provider;
import io.kaiwa.runtime.provider.Providers;
import io.kaiwa.runtime.tools.BuiltInTool;
import io.kaiwa.runtime.tools.LocalTools;
import io.quarkus.runtime.StartupEvent;

/**
 * Says at start, in a few log lines, what this instance is: where its data lives, which providers and models it
 * routes to, which built-in tools it can run, who may call it. Keys are never printed, only whether each is set.
 */
@ApplicationScoped
public class StartupReport {
    private static final Logger LOG = Logger.getLogger("io.kaiwa");

    @Inject
    KaiwaConfig config;

    @Inject
    Providers providers;

    @Inject
    LocalTools tools;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    Optional<String> databaseUrl;

    void report(@Observes StartupEvent event) {
        EmbeddedDatabase embedded = EmbeddedDatabase.current();
        LOG.infof("data: %s", embedded != null && embedded.port() > 0
                ? "embedded PostgreSQL in " + embedded.dataDirectory() + " (port " + embedded.port() + ")"
                : "PostgreSQL at " + withoutCredentials(databaseUrl.orElse(null)));
        for (Provider p : providers.all().values()) {
            LOG.infof("provider %s: %s API at %s, key %s, models %s%s", p.name(), p.api().name().toLowerCase(),
                    p.baseUrl(), p.apiKey() == null || p.apiKey().isBlank()
                            ? "MISSING (set " + p.apiKeyVariable() + ")"
                            : "set",
                    p.models().isEmpty() ? "(none listed)" : String.join(", ", p.models()),
                    p.name().equals(config.defaultProvider()) ? " and every model no provider lists" : "");
        }
        List<String> runs = new ArrayList<>();
        List<String> not = new ArrayList<>();
        for (BuiltInTool tool : BuiltInTool.values()) {
            String why = tools.unavailable(tool);
            if (why == null) {
                runs.add(tool.wire());
            } else {
                not.add(tool.wire() + " (" + why + ")");
            }
        }
        LOG.infof("built-in tools run by Kaiwa: %s%s", runs.isEmpty() ? "none" : String.join(", ", runs),
                not.isEmpty() ? "; only where a provider hosts them: " + String.join("; ", not) : "");
        LOG.infof("callers: %s", config.auth().apiKeys().filter(k -> !k.isEmpty())
                .map(keys -> keys.stream().map(k -> k.substring(0, Math.max(0, k.indexOf(':'))))
                        .distinct().collect(Collectors.joining(", ", "tenants ", " (by API key)")))
                .orElse("clients on this machine only (no kaiwa.auth.api-keys)"));
    }

    /**
     * @return host, port and database of a PostgreSQL URL, and nothing else: no {@code user:password@} (a password
     *         may hold a {@code /}) and no parameters (libpq takes {@code ?password=} there)
     */
    static String withoutCredentials(String url) {
        if (url == null) {
            return "(none)";
        }
        String rest = url.replaceFirst("^[a-z:-]*//", "");
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        return rest.substring(rest.lastIndexOf('@') + 1);
    }
}
