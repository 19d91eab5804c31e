package io.github.blllib.flink;

import io.github.blllib.StageFunction;
import io.github.blllib.StageSettings;
import io.github.blllib.StageSpec;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * A serializable stage shipped with the job: its name, what it calls and every setting of its
 * spec, rebuilt on the task manager with {@link StageSpec#of(String, StageFunction, StageSettings)}.
 */
final class ShippedStageSource implements StageSource {

	private static final long serialVersionUID = 1L;

	private final String name;

	private final StageFunction<?> function;

	private final StageSettings settings;

	ShippedStageSource(StageSpec<?, ?> spec) {
		this.name = spec.name();
		this.function = spec.function();
		this.settings = spec.settings();
	}

	@Override
	public StageSpec<?, ?> open(RuntimeContext context) {
		return StageSpec.of(this.name, this.function, this.settings);
	}

}
