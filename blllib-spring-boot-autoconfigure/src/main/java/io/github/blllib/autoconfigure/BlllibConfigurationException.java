package io.github.blllib.autoconfigure;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * A blllib setting, from a property or a {@code @BlllibStage} annotation, has a value that is
 * not allowed. Reported at start-up by a failure analyzer naming the setting and its allowed
 * values.
 */
public class BlllibConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String property;

	private final String value;

	private final String allowedValues;

	private final String reason;

	private final String action;

	/**
	 * @param property where the value was set: a property name such as
	 * {@code blllib.stages.diff.stateful}, or an annotation attribute on a named bean
	 * @param value the offending value
	 * @param allowedValues the values that would be accepted, in words
	 * @param reason why the value is rejected
	 * @param action how to fix it
	 */
	public BlllibConfigurationException(String property, Object value, String allowedValues, String reason,
			String action) {
		super("Invalid blllib setting " + property + " = '" + value + "': " + reason + ". Allowed values: "
				+ allowedValues);
		this.property = property;
		this.value = String.valueOf(value);
		this.allowedValues = allowedValues;
		this.reason = reason;
		this.action = action;
	}

	/** A setting whose value is outside {@code allowedValues}; the fix is to change it. */
	static BlllibConfigurationException invalidValue(String property, Object value, String allowedValues,
			String reason) {
		return new BlllibConfigurationException(property, value, allowedValues, reason,
				"Change " + property + " to " + allowedValues + ".");
	}

	/**
	 * A bad value of property {@code property}, as Boot's own exception, whose failure analysis
	 * shows where the value was set (file and line) as well as the reason and the allowed values.
	 */
	static InvalidConfigurationPropertyValueException invalidProperty(String property, Object value,
			String allowedValues, String reason) {
		return new InvalidConfigurationPropertyValueException(property, value,
				reason + ". Allowed values: " + allowedValues);
	}

	/** Where the value was set: a property name, or an annotation attribute on a named bean. */
	public String getProperty() {
		return this.property;
	}

	public String getValue() {
		return this.value;
	}

	/** The values that would be accepted, in words. */
	public String getAllowedValues() {
		return this.allowedValues;
	}

	/** Why the value is rejected. */
	public String getReason() {
		return this.reason;
	}

	/** How to fix the configuration. */
	public String getAction() {
		return this.action;
	}

}
