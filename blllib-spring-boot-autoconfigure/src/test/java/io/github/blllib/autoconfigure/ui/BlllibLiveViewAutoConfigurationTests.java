package io.github.blllib.autoconfigure.ui;

import java.util.Optional;

import io.github.blllib.Stage;
import io.github.blllib.autoconfigure.BlllibAutoConfiguration;
import io.github.blllib.autoconfigure.BlllibEndpointAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;

import static io.github.blllib.autoconfigure.ui.BlllibLiveViewAutoConfiguration.LIVE_VIEW_ROUTES_BEAN_NAME;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BlllibLiveViewAutoConfiguration}: when the live view is served.
 */
class BlllibLiveViewAutoConfigurationTests {

	private static final AutoConfigurations AUTO_CONFIGURATIONS = AutoConfigurations.of(
			TaskExecutionAutoConfiguration.class, BlllibAutoConfiguration.class,
			BlllibEndpointAutoConfiguration.class, BlllibLiveViewAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AUTO_CONFIGURATIONS)
		.withUserConfiguration(StagesConfiguration.class)
		.withPropertyValues("management.endpoints.web.exposure.include=blllib");

	@Test
	void liveViewShouldBeOffByDefault() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(LIVE_VIEW_ROUTES_BEAN_NAME));
	}

	@Test
	void liveViewShouldBeServedWhenEnabled() {
		this.contextRunner.withPropertyValues("blllib.ui.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(RouterFunction.class)
				.hasBean(LIVE_VIEW_ROUTES_BEAN_NAME));
	}

	@Test
	void liveViewShouldBackOffWhenTheEndpointIsNotExposedOverHttp() {
		this.contextRunner
			.withPropertyValues("blllib.ui.enabled=true", "management.endpoints.web.exposure.include=health",
					"management.endpoints.jmx.exposure.include=blllib")
			.run((context) -> assertThat(context).doesNotHaveBean(LIVE_VIEW_ROUTES_BEAN_NAME));
	}

	@Test
	void liveViewShouldBackOffWhenTheEndpointsAccessIsNone() {
		this.contextRunner.withPropertyValues("blllib.ui.enabled=true", "management.endpoint.blllib.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(LIVE_VIEW_ROUTES_BEAN_NAME));
	}

	@Test
	void liveViewShouldBackOffWhenActuatorIsOnAnotherPortThanThePage() {
		this.contextRunner
			.withPropertyValues("blllib.ui.enabled=true", "server.port=8080", "management.server.port=8081")
			.run((context) -> assertThat(context).doesNotHaveBean(LIVE_VIEW_ROUTES_BEAN_NAME));
	}

	@Test
	void liveViewShouldBackOffOutsideAWebApplication() {
		new ApplicationContextRunner().withConfiguration(AUTO_CONFIGURATIONS)
			.withUserConfiguration(StagesConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=blllib", "blllib.ui.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LIVE_VIEW_ROUTES_BEAN_NAME));
	}

	@Test
	void liveViewShouldBackOffWithoutSpringMvc() {
		this.contextRunner.withPropertyValues("blllib.ui.enabled=true")
			.withClassLoader(new FilteredClassLoader(RouterFunction.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LIVE_VIEW_ROUTES_BEAN_NAME));
	}

	@Test
	void userDefinedRoutesOfTheSameNameShouldReplaceTheLiveView() {
		RouterFunction<?> routes = (request) -> Optional.empty();
		this.contextRunner.withPropertyValues("blllib.ui.enabled=true")
			.withBean(LIVE_VIEW_ROUTES_BEAN_NAME, RouterFunction.class, () -> routes)
			.run((context) -> assertThat(context).getBean(LIVE_VIEW_ROUTES_BEAN_NAME).isSameAs(routes));
	}

	@Test
	void pathWithAWildcardShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("blllib.ui.enabled=true", "blllib.ui.path=/pipelines/**")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("blllib.ui.path"));
	}

	@Test
	void rootPathShouldFailNamingTheProperty() {
		this.contextRunner.withPropertyValues("blllib.ui.enabled=true", "blllib.ui.path=/")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("blllib.ui.path"));
	}

	@Configuration(proxyBeanMethods = false)
	static class StagesConfiguration {

		@Bean
		Stage<Integer, Integer> twice() {
			return (x) -> 2 * x;
		}

	}

}
