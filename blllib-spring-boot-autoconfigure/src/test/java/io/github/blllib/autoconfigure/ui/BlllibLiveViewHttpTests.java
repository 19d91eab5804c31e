package io.github.blllib.autoconfigure.ui;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import io.github.blllib.autoconfigure.endpoint.web.ObservedPipelinesApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live view served over real HTTP by an application with a context path, a nested
 * {@code blllib.ui.path} and its own actuator base path: the page finds the endpoint wherever
 * they put it.
 */
@SpringBootTest(classes = ObservedPipelinesApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "blllib.ui.enabled=true", "blllib.ui.path=/ops/pipelines/",
				"management.endpoints.web.base-path=/manage", "management.endpoints.web.exposure.include=blllib",
				"server.servlet.context-path=/app" })
class BlllibLiveViewHttpTests {

	private static final Pattern ENDPOINT = Pattern.compile("<meta name=\"blllib-endpoint\" content=\"([^\"]*)\">");

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void pageShouldBeServedAsHtmlWithTheEndpointRelativeToIt() throws Exception {
		HttpResponse<String> page = get("/app/ops/pipelines/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		assertThat(endpointOf(page.body())).isEqualTo("../../manage/blllib");
	}

	@Test
	void endpointNamedByThePageShouldAnswerWithTheStageBeans() throws Exception {
		URI pageUri = uri("/app/ops/pipelines/");
		URI endpoint = pageUri.resolve(endpointOf(get("/app/ops/pipelines/").body()));
		assertThat(endpoint.getPath()).isEqualTo("/app/manage/blllib");
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(endpoint).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<String>read(response.body(), "$.stages[0].name")).isEqualTo("held");
	}

	@Test
	void pathWithoutItsTrailingSlashShouldRedirectToThePage() throws Exception {
		HttpResponse<String> response = get("/app/ops/pipelines");
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(uri("/app/ops/pipelines").resolve(response.headers().firstValue("Location").orElseThrow()))
			.isEqualTo(uri("/app/ops/pipelines/"));
	}

	@Test
	void scriptAndStylesShouldBeServedBesideThePage() throws Exception {
		HttpResponse<String> script = get("/app/ops/pipelines/live-view.js");
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).contains("javascript"));
		assertThat(script.body()).contains("blllib-endpoint");
		HttpResponse<String> styles = get("/app/ops/pipelines/live-view.css");
		assertThat(styles.statusCode()).isEqualTo(200);
		assertThat(styles.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/css"));
	}

	@Test
	void pageTemplateShouldNotBeServedAsAStaticResource() throws Exception {
		assertThat(get("/app/ops/pipelines/index.html").statusCode()).isEqualTo(404);
	}

	private static String endpointOf(String page) {
		Matcher matcher = ENDPOINT.matcher(page);
		assertThat(matcher.find()).as("the page names the endpoint").isTrue();
		return matcher.group(1);
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
