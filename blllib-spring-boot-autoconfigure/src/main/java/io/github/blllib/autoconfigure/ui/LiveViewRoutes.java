package io.github.blllib.autoconfigure.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.regex.Pattern;


import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.StreamUtils;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * The routes of the live view: its page at {@code path + "/"} (a request for {@code path} is
 * redirected there), which is told where the {@code blllib} endpoint is, and the page's scripts
 * and styles below it.
 */
final class LiveViewRoutes {

	private static final String LOCATION = "META-INF/blllib-ui/";

	private static final String ENDPOINT_PLACEHOLDER = "@blllib.endpoint@";

	private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

	private final String path;

	private final Supplier<String> endpointPath;

	private final String page;

	/**
	 * @param path where to serve the page, such as {@code /blllib}; a trailing slash is ignored
	 * @param endpointPath where the {@code blllib} endpoint is, such as {@code /actuator/blllib};
	 * both paths relative to the dispatcher servlet
	 */
	LiveViewRoutes(String path, Supplier<String> endpointPath) {
		this.path = normalize(path);
		this.endpointPath = endpointPath;
		this.page = read(LOCATION + "index.html");
	}

	RouterFunction<ServerResponse> routerFunction() {
		String lastSegment = this.path.substring(this.path.lastIndexOf('/') + 1);
		return RouterFunctions.route()
			.GET(this.path, (request) -> ServerResponse.status(HttpStatus.FOUND)
				.location(URI.create(lastSegment + "/"))
				.build())
			.GET(this.path + "/", (request) -> ServerResponse.ok()
				.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
				.cacheControl(CacheControl.noCache())
				.body(page()))
			.resources(this.path + "/**", new ClassPathResource(LOCATION + "static/"))
			.build();
	}

	/** The page, with the endpoint's URL relative to the page, so that a context path does not matter. */
	private String page() {
		String endpoint = "../".repeat(segments(this.path)) + this.endpointPath.get().replaceFirst("^/+", "");
		return this.page.replace(ENDPOINT_PLACEHOLDER, HtmlUtils.htmlEscape(endpoint));
	}

	private static int segments(String path) {
		return (int) path.chars().filter((c) -> c == '/').count();
	}

	private static String normalize(String path) {
		String normalized = (path != null) ? path.strip().replaceFirst("/+$", "") : "";
		if (!normalized.startsWith("/")) {
			normalized = "/" + normalized;
		}
		if (!PATH.matcher(normalized).matches()) {
			throw new InvalidConfigurationPropertyValueException("blllib.ui.path", path,
					"the live view needs a path of its own, without wildcards. Allowed values: a path of one or "
							+ "more segments of letters, digits, '.', '_', '~' or '-', such as '/blllib'");
		}
		return normalized;
	}

	private static String read(String location) {
		try {
			return StreamUtils.copyToString(new ClassPathResource(location).getInputStream(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the live view's " + location, ex);
		}
	}

}
