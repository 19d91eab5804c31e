package io.github.blllib.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link BlllibConfigurationException} at start-up: the setting, its value, why it
 * is rejected and the allowed values. A bad {@code blllib.*} property value is Boot's
 * {@code InvalidConfigurationPropertyValueException} (or a bind failure) instead, which Boot's
 * own analysis explains with the file and line the value came from.
 */
class BlllibConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<BlllibConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable failure, BlllibConfigurationException cause) {
		String description = String.format(
				"Invalid blllib configuration:%n%n    Setting: %s%n    Value: \"%s\"%n    Reason: %s%n    Allowed: %s",
				cause.getProperty(), cause.getValue(), cause.getReason(), cause.getAllowedValues());
		return new FailureAnalysis(description, cause.getAction(), failure);
	}

}
