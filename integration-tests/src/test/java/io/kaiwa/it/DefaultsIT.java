package io.kaiwa.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The service as the README's run command starts it on a fresh machine: no configuration, no provider key. */
class DefaultsIT {
    @Test
    void withNoConfigurationALoopbackClientIsServedAndAModelCallNamesTheMissingKey() throws Exception {
        Path data = Files.createTempDirectory(Path.of("target"), "it-defaults").toAbsolutePath();
        try (var service = ServiceProcess.start("defaults", Map.of("KAIWA_DATA_DIR", data.toString()))) {
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl()
                    + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> create = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl()
                    + "/v1/responses")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                            .ofString("{\"model\":\"qwen-plus\",\"input\":\"hi\"}"))
                    .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(models.statusCode()).isEqualTo(200);
            // The service's configuration is at fault, not the caller's key: an SDK would read a 401 as the latter.
            assertThat(create.statusCode()).as(create.body()).isEqualTo(500);
            JsonNode error = OpenAiClientIT.JSON.readTree(create.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("provider_not_configured");
            assertThat(error.get("message").asText()).contains("dashscope").contains("DASHSCOPE_API_KEY");
            assertThat(service.log()).contains("Created the embedded PostgreSQL")
                    // What this instance is, said once at start, with no key in it.
                    .contains("data: embedded PostgreSQL in ")
                    .contains("provider dashscope: chat API at https://dashscope-intl.aliyuncs.com/compatible-mode/v1,"
                            + " key MISSING (set DASHSCOPE_API_KEY)")
                    .contains("built-in tools run by Kaiwa: ")
                    .contains("callers: clients on this machine only");
        }
    }

    @Test
    void aMisspelledSettingStopsTheStartNamingIt() throws Exception {
        Path folder = Files.createTempDirectory(Path.of("target"), "it-typo").toAbsolutePath();
        Files.createDirectories(folder.resolve("config"));
        Files.writeString(folder.resolve("config/application.properties"), "kaiwa.tools.web-search.max-result=5\n");

        assertThatThrownBy(() -> ServiceProcess.start("typo", Map.of("KAIWA_DATA_DIR", folder.resolve("data")
                .toString()), folder)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited during startup")
                .hasMessageContaining("kaiwa.tools.web-search.max-result");
    }

    @Test
    void aRecallSettingOutOfRangeStopsTheStartNamingIt() throws Exception {
        Path folder = Files.createTempDirectory(Path.of("target"), "it-recall").toAbsolutePath();
        Files.createDirectories(folder.resolve("config"));
        Files.writeString(folder.resolve("config/application.properties"), "kaiwa.context.recall.threshold=35\n");

        assertThatThrownBy(() -> ServiceProcess.start("recall", Map.of("KAIWA_DATA_DIR", folder.resolve("data")
                .toString()), folder)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited during startup")
                .hasMessageContaining("kaiwa.context.recall.threshold must be from 0 to 1, not 35.0");
    }
}
