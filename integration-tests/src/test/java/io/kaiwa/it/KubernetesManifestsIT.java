package io.kaiwa.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.kaiwa.it.OpenAiClientIT.chatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The manifests Quarkus's Kubernetes extension generates ({@code ./mvnw -pl agent-runtime -am -Pkubernetes package},
 * which {@code .ci/run} does first): what they ask of a cluster, and the packaged service run with exactly the
 * environment and probes they give it, on an external PostgreSQL as the ConfigMap points it to.
 */
class KubernetesManifestsIT {
    static final Path MANIFESTS = Path.of(System.getProperty("kaiwa.kubernetes.manifests",
            "../agent-runtime/target/kubernetes/kubernetes.yml"));

    WireMockServer upstream;

    @BeforeEach
    void start() {
        Extras.assume(Files.exists(MANIFESTS), "needs the Kubernetes manifests: build them with ./mvnw -pl "
                + "agent-runtime -am -Pkubernetes package -DskipTests (" + MANIFESTS + " is missing)");
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
    }

    @AfterEach
    void stop() {
        if (upstream != null) {
            upstream.stop();
        }
    }

    static List<JsonNode> manifests() throws IOException {
        var yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = yaml.getFactory().createParser(MANIFESTS.toFile())) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isEmpty()) {
                    documents.add(d);
                }
            });
        }
        return documents;
    }

    static JsonNode only(List<JsonNode> documents, String kind) {
        List<JsonNode> found = documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    @Test
    void theManifestsApplyToAPlainClusterAndReadTheirSettingsFromAConfigMapAndASecret() throws IOException {
        List<JsonNode> documents = manifests();
        // Nothing that needs an operator's custom resources or a third-party image beside the service's own.
        assertThat(documents).extracting(d -> d.path("kind").asText())
                .containsExactlyInAnyOrder("Service", "Deployment", "ConfigMap");

        JsonNode deployment = only(documents, "Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(container.path("image").asText()).endsWith("/kaiwa/kaiwa-agent-runtime:0.1.0-SNAPSHOT");
        assertThat(deployment.at("/spec/template/spec/initContainers").isMissingNode()).isTrue();
        assertThat(container.path("envFrom").toString()).contains("\"secretRef\":{\"name\":\"kaiwa-secrets\"}")
                .contains("\"configMapRef\":{\"name\":\"kaiwa-config\"}");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
        assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("512Mi");
        assertThat(only(documents, "Service").at("/spec/ports/0/targetPort").asInt())
                .isEqualTo(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);

        JsonNode config = only(documents, "ConfigMap");
        assertThat(config.at("/metadata/name").asText()).isEqualTo("kaiwa-config");
        assertThat(config.at("/data/KAIWA_DATABASE_URL").asText()).startsWith("postgresql://");
        // Keys never sit in the ConfigMap.
        assertThat(config.path("data").toString()).doesNotContainIgnoringCase("key").doesNotContain("PASSWORD");
    }

    @Test
    void theServiceRunWithTheManifestsEnvironmentUsesTheExternalDatabaseAndPassesEveryProbe() throws Exception {
        List<JsonNode> documents = manifests();
        JsonNode container = only(documents, "Deployment").at("/spec/template/spec/containers/0");
        JsonNode configMap = only(documents, "ConfigMap").path("data");

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(Files.createTempDirectory(Path.of("target"), "it-k8s-db")).start()) {
            String user = configMap.path("KAIWA_DATABASE_USERNAME").asText();
            String database = URI.create(configMap.path("KAIWA_DATABASE_URL").asText()).getPath().substring(1);
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + user + " LOGIN PASSWORD 'secret-db-password'");
                s.execute("CREATE DATABASE " + database + " OWNER " + user);
            }

            Map<String, String> env = new HashMap<>();
            container.path("env").forEach(e -> {
                if (e.has("value")) {
                    env.put(e.path("name").asText(), e.path("value").asText());
                }
            });
            configMap.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            // The cluster's PostgreSQL address is this machine's; the database and its user are the ConfigMap's.
            env.put("KAIWA_DATABASE_URL", configMap.path("KAIWA_DATABASE_URL").asText()
                    .replaceFirst("//[^/]+/", "//127.0.0.1:" + postgres.getPort() + "/"));
            // What the README's `kubectl create secret generic kaiwa-secrets` puts in the Secret.
            env.put("KAIWA_DATABASE_PASSWORD", "secret-db-password");
            env.put("KAIWA_AUTH_API_KEYS", "ops:sk-ops-k8s");
            env.put("DASHSCOPE_API_KEY", "sk-upstream-k8s");
            // Only for the test: DashScope is this WireMock, and no data folder is left in the working directory.
            env.put("KAIWA_PROVIDERS_DASHSCOPE_BASE_URL",
                    "http://127.0.0.1:" + upstream.port() + "/compatible-mode/v1");
            env.put("KAIWA_DATA_DIR", Files.createTempDirectory(Path.of("target"), "it-k8s-data").toString());
            upstream.stubFor(post(urlEqualTo("/compatible-mode/v1/chat/completions")).willReturn(aResponse()
                    .withStatus(200).withHeader("Content-Type", "application/json").withBody(chatAnswer("pod"))));

            try (var service = ServiceProcess.start("kubernetes", env)) {
                var http = HttpClient.newHttpClient();
                for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                    String path = container.at("/" + probe + "/httpGet/path").asText();
                    var answer = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).as(probe + " " + path + ": " + answer.body()).isEqualTo(200);
                }

                var created = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/responses"))
                        .header("Authorization", "Bearer sk-ops-k8s").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"qwen-plus\",\"input\":\"hi\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
                assertThat(created.body()).contains("pod");
                upstream.verify(1, postRequestedFor(urlEqualTo("/compatible-mode/v1/chat/completions"))
                        .withHeader("Authorization", equalTo("Bearer sk-upstream-k8s")));
                assertThat(service.log()).doesNotContain("embedded PostgreSQL").doesNotContain("secret-db-password");
            }
            try (Connection c = postgres.getDatabase(user, database).getConnection();
                    Statement s = c.createStatement();
                    ResultSet stored = s.executeQuery("SELECT count(*) FROM kaiwa_response")) {
                stored.next();
                assertThat(stored.getInt(1)).as("responses stored in the external database").isEqualTo(1);
            }
        }
    }
}
