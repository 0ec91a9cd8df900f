package io.kaiwa.runtime.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.kaiwa.core.exception.NonRetriableException;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling: {@code Authorization: Bearer <key>}, mapped to a tenant by {@code kaiwa.auth.api-keys}, on every
 * route but the open ones ({@link #isOpen}: health, the API description and its UI, the playground's files).
 * With no keys configured, only clients on this machine are served, all as tenant {@code local}: the service is
 * never open to the network without keys. Keys are compared by their SHA-256, never logged.
 */
@ApplicationScoped
public class ApiKeyAuth {
    /** Where the tenant is kept on the request. */
    public static final String TENANT = "kaiwa.tenant";
    /** The tenant of loopback clients when no keys are configured. */
    public static final String LOCAL = "local";
    private static final Logger LOG = Logger.getLogger(ApiKeyAuth.class);

    private static final Pattern OPEN = Pattern.compile("/q/health(/(live|ready|started|wellness))?/?"
            + "|/q/openapi(\\.json|\\.yaml|\\.yml)?"
            + "|/q/swagger-ui(/[A-Za-z0-9._-]+)*/?"
            + "|/playground(/[A-Za-z0-9._-]+)*/?");

    private final Map<String, String> tenantByKeyHash = new HashMap<>();

    /** @param config the service's settings */
    @Inject
    public ApiKeyAuth(KaiwaConfig config) {
        for (String pair : config.auth().apiKeys().orElse(List.of())) {
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                // The value holds a key: say where it is wrong without printing it.
                throw new IllegalArgumentException("kaiwa.auth.api-keys: each entry must be tenant:key; entry "
                        + (config.auth().apiKeys().get().indexOf(pair) + 1) + " is not");
            }
            tenantByKeyHash.put(hash(pair.substring(colon + 1).trim()), pair.substring(0, colon).trim());
        }
        if (tenantByKeyHash.isEmpty()) {
            LOG.info("No API keys configured (kaiwa.auth.api-keys): only clients on this machine are served");
        }
    }

    void install(@Observes Router router) {
        // Every route, not a list of guarded prefixes: the REST layer strips matrix parameters before matching, so
        // /v1;x=1/models reached /v1/models past a guard on /v1/*. What stays open is listed, and matched strictly.
        router.route().order(-100).handler(rc -> {
            if (isOpen(rc.request().path(), rc.normalizedPath())) {
                rc.next();
            } else {
                authenticate(rc);
            }
        });
    }

    /**
     * The routes served without a key: health for probes, the API description and its UI, and the playground's page
     * (static files; it calls the API with the key its user pastes). What the service has been doing
     * ({@code /q/metrics}) is not among them.
     *
     * @param rawPath the request's path as sent
     * @param normalizedPath the same path with dot segments resolved and unreserved characters decoded, as routes
     *        are matched
     * @return whether the path is open; a path holding a matrix parameter or an escaped character never is
     */
    static boolean isOpen(String rawPath, String normalizedPath) {
        if (rawPath == null || normalizedPath == null || rawPath.indexOf(';') >= 0 || rawPath.indexOf('%') >= 0) {
            return false;
        }
        return OPEN.matcher(normalizedPath).matches();
    }

    private void authenticate(RoutingContext rc) {
        String header = rc.request().getHeader("Authorization");
        String key = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : null;
        if (tenantByKeyHash.isEmpty()) {
            if (isLoopback(rc.request().remoteAddress() == null ? null : rc.request().remoteAddress().host())) {
                rc.put(TENANT, LOCAL);
                rc.next();
            } else {
                deny(rc, "This service has no API keys configured and serves only clients on its own machine; "
                        + "set kaiwa.auth.api-keys to serve others.");
            }
            return;
        }
        String tenant = key == null ? null : tenantByKeyHash.get(hash(key));
        if (tenant == null) {
            deny(rc, key == null
                    ? "Missing bearer authentication in header 'Authorization'."
                    : "Incorrect API key provided.");
            return;
        }
        rc.put(TENANT, tenant);
        rc.next();
    }

    private static void deny(RoutingContext rc, String message) {
        rc.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                .end(new ErrorBody(401, "invalid_request_error", "invalid_api_key", null, message).json());
    }

    /**
     * @param rc the request
     * @return its tenant, set by authentication
     * @throws NonRetriableException (401) when authentication set none, so no query ever runs for a null tenant
     */
    public static String tenant(RoutingContext rc) {
        String tenant = rc.get(TENANT);
        if (tenant == null) {
            // Not an AuthenticationException: those are a provider's refusals of the service's key.
            throw new NonRetriableException("Missing bearer authentication in header 'Authorization'.", 401,
                    "invalid_api_key", null, null);
        }
        return tenant;
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        try {
            // A literal address is parsed, never resolved.
            return (host.indexOf(':') >= 0 || Character.isDigit(host.charAt(0)))
                    && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
