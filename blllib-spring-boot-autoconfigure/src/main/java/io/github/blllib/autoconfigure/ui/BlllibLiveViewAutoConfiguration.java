package io.github.blllib.autoconfigure.ui;

import io.github.blllib.autoconfigure.BlllibEndpointAutoConfiguration;
import io.github.blllib.autoconfigure.BlllibProperties;
import io.github.blllib.autoconfigure.endpoint.BlllibEndpoint;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.function.RouterFunction;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the live view at {@code blllib.ui.path},
 * when {@code blllib.ui.enabled=true} in a servlet web application whose {@code blllib} endpoint
 * is exposed over HTTP on the application's own port, where the page can fetch it.
 */
@AutoConfiguration(after = BlllibEndpointAutoConfiguration.class,
		afterName = "org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration")
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ Endpoint.class, RouterFunction.class })
@ConditionalOnBooleanProperty("blllib.ui.enabled")
@ConditionalOnAvailableEndpoint(endpoint = BlllibEndpoint.class, exposure = EndpointExposure.WEB)
@ConditionalOnManagementPort(ManagementPortType.SAME)
@ConditionalOnBean(BlllibEndpoint.class)
public final class BlllibLiveViewAutoConfiguration {

	/** Bean name of the routes that serve the live view. */
	public static final String LIVE_VIEW_ROUTES_BEAN_NAME = "blllibLiveViewRoutes";

	@Bean(LIVE_VIEW_ROUTES_BEAN_NAME)
	@ConditionalOnMissingBean(name = LIVE_VIEW_ROUTES_BEAN_NAME)
	RouterFunction<?> blllibLiveViewRoutes(BlllibProperties properties,
			ObjectProvider<PathMappedEndpoints> pathMappedEndpoints, Environment environment) {
		return new LiveViewRoutes(properties.getUi().getPath(),
				() -> endpointPath(pathMappedEndpoints.getIfAvailable(), environment))
			.routerFunction();
	}

	private static String endpointPath(@Nullable PathMappedEndpoints pathMappedEndpoints, Environment environment) {
		String path = (pathMappedEndpoints != null) ? pathMappedEndpoints.getPath(EndpointId.of(BlllibEndpoint.ID)) : null;
		if (path != null) {
			return path;
		}
		return environment.getProperty("management.endpoints.web.base-path", "/actuator") + "/" + BlllibEndpoint.ID;
	}

}
