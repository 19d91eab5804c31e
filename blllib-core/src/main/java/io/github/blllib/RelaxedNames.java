package io.github.blllib;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds a stage or pipeline name as configuration often writes it: {@code second-diff},
 * {@code second_diff} and {@code SECONDDIFF} all find {@code secondDiff}. How a
 * {@link PipelineFactory} should look names up.
 */
public final class RelaxedNames {

	private RelaxedNames() {
	}

	/**
	 * The name in {@code names} that {@code wanted} refers to: the equal one, or else the first
	 * one, in iteration order, that differs from it only in case, dashes and underscores.
	 * Empty when there is none or {@code wanted} is {@code null}.
	 */
	public static Optional<String> find(String wanted, Collection<String> names) {
		if (wanted == null) {
			return Optional.empty();
		}
		if (names.contains(wanted)) {
			return Optional.of(wanted);
		}
		String relaxed = relaxed(wanted);
		return names.stream().filter((name) -> name != null && relaxed(name).equals(relaxed)).findFirst();
	}

	private static String relaxed(String name) {
		return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
	}

}
