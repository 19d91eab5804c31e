package io.github.blllib.autoconfigure;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineListener;
import io.github.blllib.StageKind;
import io.github.blllib.StageSpec;

/**
 * Keeps a stateful stage instance out of two open runs at once. A stateful stage relies on
 * being called by one thread, in order; a singleton bean shared by two pipelines whose runs
 * overlap would break that. When a run starts, each of its stateful stage instances is claimed
 * for its pipeline; when the run ends the claims are released. A run that finds an instance
 * claimed by another pipeline fails on its first pull with an {@link IllegalStateException}
 * (the engine then closes it).
 */
final class StatefulStageGuard implements PipelineListener {

	private final Map<Object, Pipeline<?, ?>> owners = new IdentityHashMap<>();

	@Override
	public void runStarted(Pipeline<?, ?> pipeline) {
		List<Object> claimed = new ArrayList<>();
		synchronized (this.owners) {
			for (StageSpec<?, ?> spec : pipeline.stages()) {
				if (spec.kind() != StageKind.STATEFUL) {
					continue;
				}
				Pipeline<?, ?> owner = this.owners.get(spec.stage());
				if (owner != null && owner != pipeline) {
					claimed.forEach(this.owners::remove);
					throw new IllegalStateException("Stateful stage bean '" + spec.name()
							+ "' is already running in an open run of pipeline '" + owner.name()
							+ "', so pipeline '" + pipeline.name() + "' cannot run it at the same time. "
							+ "Make the bean prototype-scoped (@Scope(\"prototype\")) so that each pipeline gets "
							+ "its own instance, or close the run of pipeline '" + owner.name() + "' first.");
				}
				if (owner == null) {
					this.owners.put(spec.stage(), pipeline);
					claimed.add(spec.stage());
				}
			}
		}
	}

	@Override
	public void runEnded(Pipeline<?, ?> pipeline) {
		release(pipeline);
	}

	@Override
	public void pipelineClosed(Pipeline<?, ?> pipeline) {
		release(pipeline);
	}

	private void release(Pipeline<?, ?> pipeline) {
		synchronized (this.owners) {
			this.owners.values().removeIf((owner) -> owner == pipeline);
		}
	}

}
