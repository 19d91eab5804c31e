package io.github.blllib;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a stateful stage instance out of two open runs at once, whichever pipelines they
 * belong to: a stateful stage relies on being called by one thread at a time, in order. A run
 * claims its stateful stage instances when it starts and releases them once none of its stage
 * code runs any more.
 *
 * <p>Only an instance that can hold state is claimed: one whose class or a superclass declares
 * an instance field. A non-capturing lambda or a method reference to a static method has none,
 * and the JVM may hand the same object to every pipeline built around it. The guard sees the
 * stage object, not what it captures or wraps: a stage that captures a shared service is not
 * refused for it, and a new wrapper per pipeline around one shared object ({@code acc::add}) is
 * not caught.
 */
final class StatefulStageClaims {

	private static final Map<Object, String> owners = new IdentityHashMap<>();

	/** Whether instances of a class can hold state: it or a superclass has an instance field. */
	private static final ClassValue<Boolean> holdsFields = new ClassValue<>() {
		@Override
		protected Boolean computeValue(Class<?> type) {
			for (Class<?> level = type; level != null; level = level.getSuperclass()) {
				for (Field field : level.getDeclaredFields()) {
					if (!Modifier.isStatic(field.getModifiers())) {
						return true;
					}
				}
			}
			return false;
		}
	};

	private StatefulStageClaims() {
	}

	/**
	 * Claims the stateful stages of a starting run of {@code pipeline}.
	 * @return the instances claimed, for {@link #release(List)}
	 * @throws IllegalStateException naming the stage and the pipeline that runs it when one
	 * is already claimed
	 */
	static List<Object> claim(String pipeline, List<StageSpec<?, ?>> stages) {
		List<Object> claimed = new ArrayList<>();
		synchronized (owners) {
			for (StageSpec<?, ?> spec : stages) {
				if (spec.kind() != StageKind.STATEFUL || spec.isAsync() || !canHoldState(spec.stage())
						|| containsSame(claimed, spec.stage())) {
					continue;
				}
				String owner = owners.get(spec.stage());
				if (owner != null) {
					claimed.forEach(owners::remove);
					throw new IllegalStateException("Stateful stage '" + spec.name()
							+ "' is already running in an open run of pipeline '" + owner + "', so pipeline '"
							+ pipeline + "' cannot run it at the same time. Give each pipeline its own instance "
							+ "(in Spring, make the bean prototype-scoped with @Scope(\"prototype\")), or close the run "
							+ "of pipeline '" + owner + "' first.");
				}
				owners.put(spec.stage(), pipeline);
				claimed.add(spec.stage());
			}
		}
		return claimed;
	}

	private static boolean canHoldState(Object stage) {
		return stage != null && holdsFields.get(stage.getClass());
	}

	private static boolean containsSame(List<Object> claimed, Object stage) {
		return claimed.stream().anyMatch((instance) -> instance == stage);
	}

	static void release(List<Object> claimed) {
		synchronized (owners) {
			claimed.forEach(owners::remove);
		}
	}

}
