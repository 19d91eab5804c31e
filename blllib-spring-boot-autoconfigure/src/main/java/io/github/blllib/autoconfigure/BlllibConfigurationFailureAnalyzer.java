package io.github.blllib.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Explains a {@link BlllibConfigurationException} at start-up: the setting, its value, why it
 * is rejected and the allowed values. A {@code blllib.*} value that cannot even be bound (an
 * unknown {@code on-failure}, a duration that does not parse) is explained the same way, ahead
 * of Spring Boot's own bind failure analysis, which would list enum values in upper case.
 */
class BlllibConfigurationFailureAnalyzer implements FailureAnalyzer, Ordered {

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		BlllibConfigurationException cause = findCause(failure, BlllibConfigurationException.class);
		if (cause == null) {
			BindException bindFailure = findCause(failure, BindException.class);
			cause = (bindFailure != null) ? fromBindFailure(bindFailure) : null;
		}
		if (cause == null) {
			return null;
		}
		String description = String.format(
				"Invalid blllib configuration:%n%n    Setting: %s%n    Value: \"%s\"%n    Reason: %s%n    Allowed: %s",
				cause.getProperty(), cause.getValue(), cause.getReason(), cause.getAllowedValues());
		return new FailureAnalysis(description, cause.getAction(), failure);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/** A failure to bind a {@code blllib.*} enum or duration, or null for any other. */
	private static BlllibConfigurationException fromBindFailure(BindException failure) {
		ConfigurationProperty property = failure.getProperty();
		Class<?> type = failure.getTarget().getType().resolve();
		if (property == null || type == null || !failure.getName().toString().startsWith("blllib.")) {
			return null;
		}
		String allowedValues;
		if (type.isEnum()) {
			allowedValues = Arrays.stream(type.getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
				.collect(Collectors.joining(", "));
		}
		else if (type == Duration.class) {
			allowedValues = "a duration such as 500ms, 2s or 1m";
		}
		else {
			return null;
		}
		return BlllibConfigurationException.invalidValue(failure.getName().toString(), property.getValue(),
				allowedValues, "it cannot be read as " + (type.isEnum() ? "one of " + allowedValues : "a duration"));
	}

	private static <E extends Throwable> E findCause(Throwable failure, Class<E> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
		}
		return null;
	}

}
