package dev.rollcall.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IngestEndpointTest {

    @Test
    void theBatchPathGoesUnderTheServersBaseUrl() {
        assertThat(IngestClient.endpoint(URI.create("https://ingest.example.com")))
                .hasToString("https://ingest.example.com/api/agent/events");
        assertThat(IngestClient.endpoint(URI.create("https://example.com/rollcall/")))
                .hasToString("https://example.com/rollcall/api/agent/events");
        assertThat(IngestClient.endpoint(URI.create("http://127.0.0.1:8081")))
                .hasToString("http://127.0.0.1:8081/api/agent/events");
        assertThat(IngestClient.endpoint(URI.create("http://localhost:8081/"))).hasToString("http://localhost:8081/api/agent/events");
        assertThat(IngestClient.endpoint(URI.create("http://[::1]:8081/"))).hasToString("http://[::1]:8081/api/agent/events");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://ingest.example.com", "http://192.168.10.5:8081", "http://localhost.example.com",
        "http://127.0.0.1.nip.io"})
    void theCredentialNeverTravelsInClearTextOverANetwork(String url) {
        assertThatThrownBy(() -> IngestClient.endpoint(URI.create(url))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clear text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://ingest.example.com", "ingest.example.com", "https://ingest.example.com/?x=1",
        "https:///nohost"})
    void refusesWhatIsNotABaseUrl(String url) {
        assertThatThrownBy(() -> IngestClient.endpoint(URI.create(url))).isInstanceOf(IllegalArgumentException.class);
    }
}
