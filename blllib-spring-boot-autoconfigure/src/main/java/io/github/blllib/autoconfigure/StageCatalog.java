package io.github.blllib.autoconfigure;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.github.blllib.BlllibStage;
import io.github.blllib.Stage;
import io.github.blllib.StageKind;
import io.github.blllib.StageSpec;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.env.Environment;
import org.springframework.core.type.MethodMetadata;

/**
 * Every {@link Stage} bean of the application, by bean name, with its resolved settings:
 * {@link BlllibStage @BlllibStage} from the {@code @Bean} method or else from the bean's class
 * ({@code ${...}} placeholders in {@code stateful} resolved), then the
 * {@code blllib.stages.<name>.*} properties, key by key.
 *
 * <p>Settings are read without instantiating beans: a singleton is looked at once it exists, a
 * prototype only through its declared type until {@link #newSpec(String)} first creates one.
 * All settings, {@code blllib.n-cpu} and the configured pipelines are validated when the catalog
 * is created and again once every singleton exists; a bad value fails start-up with a
 * {@link BlllibConfigurationException}.
 */
public class StageCatalog implements SmartInitializingSingleton {

	static final String STATEFUL_ALLOWED = "'true', 'false' or a positive integer window size (1, 2, 3, ...)";

	private static final String AT_LEAST_ONE = "an integer of at least 1";

	private final ConfigurableListableBeanFactory beanFactory;

	private final Environment environment;

	private final BlllibProperties properties;

	/** The runtime classes of stage beans seen by {@link #newSpec(String)}, for prototypes. */
	private final Map<String, Class<?>> observedTypes = new ConcurrentHashMap<>();

	StageCatalog(ConfigurableListableBeanFactory beanFactory, Environment environment, BlllibProperties properties) {
		this.beanFactory = beanFactory;
		this.environment = environment;
		this.properties = properties;
		validate();
	}

	/** The names of the Stage beans, sorted. */
	public Set<String> names() {
		Set<String> names = new TreeSet<>();
		for (String name : this.beanFactory.getBeanNamesForType(Stage.class, true, false)) {
			if (!ScopedProxyUtils.isScopedTarget(name)) {
				names.add(name);
			}
		}
		return names;
	}

	/**
	 * The resolved settings of the Stage bean {@code name}, without creating an instance.
	 * @throws IllegalArgumentException when there is no such Stage bean, listing the known ones
	 * @throws BlllibConfigurationException when a setting is invalid
	 */
	public StageSettings settings(String name) {
		return resolve(requireStage(name), null);
	}

	/**
	 * A spec for the Stage bean {@code name} with its resolved settings. Fetches the bean: a
	 * prototype-scoped bean gives a fresh instance on every call.
	 * @throws IllegalArgumentException when there is no such Stage bean, listing the known ones
	 */
	public StageSpec<?, ?> newSpec(String name) {
		String beanName = requireStage(name);
		Stage<?, ?> stage = this.beanFactory.getBean(beanName, Stage.class);
		Class<?> type = AopProxyUtils.ultimateTargetClass(stage);
		this.observedTypes.put(beanName, type);
		StageSettings settings = resolve(beanName, type);
		return StageSpec.of(beanName, stage, settings.stateful(), settings.batchSize(), settings.runInMaster());
	}

	/**
	 * Worker threads of the shared pool: {@code blllib.n-cpu}, or {@code max(1, N - K)} with
	 * {@code N} the available processors and {@code K} the Stage beans that are stateful and
	 * do not run in master.
	 */
	public int nCpu() {
		Integer configured = this.properties.getNCpu();
		if (configured != null) {
			if (configured < 1) {
				throw BlllibConfigurationException.invalidValue("blllib.n-cpu", configured,
						AT_LEAST_ONE + ", or no value for the default max(1, processors - stateful stages)",
						"the worker pool needs at least one thread");
			}
			return configured;
		}
		long dedicated = names().stream().filter((name) -> settings(name).needsDedicatedThread()).count();
		return (int) Math.max(1, Runtime.getRuntime().availableProcessors() - dedicated);
	}

	/** Validates again now that singleton stage beans exist and their classes are known. */
	@Override
	public void afterSingletonsInstantiated() {
		validate();
	}

	/**
	 * The Stage bean name a configured name refers to: the same name, or else the same name
	 * in another form ({@code second-diff} for {@code secondDiff}), as property keys are
	 * often written; {@code null} when there is none.
	 */
	String findStage(String name) {
		Set<String> names = names();
		if (names.contains(name)) {
			return name;
		}
		String wanted = canonical(name);
		return names.stream().filter((candidate) -> canonical(candidate).equals(wanted)).findFirst().orElse(null);
	}

	/** The known stage names for messages: "a, b, c" or a note that there are none. */
	String describeNames() {
		Set<String> names = names();
		return names.isEmpty() ? "(none: the application defines no Stage bean)" : String.join(", ", names);
	}

	private String requireStage(String name) {
		String beanName = (name != null) ? findStage(name) : null;
		if (beanName == null) {
			throw new IllegalArgumentException(
					"No Stage bean named '" + name + "'; known stage beans: " + describeNames());
		}
		return beanName;
	}

	private void validate() {
		nCpu();
		for (String key : this.properties.getStages().keySet()) {
			if (findStage(key) == null) {
				String property = "blllib.stages." + key;
				throw new BlllibConfigurationException(property, key, "the name of a Stage bean: " + describeNames(),
						"there is no Stage bean named '" + key + "'", "Rename " + property
								+ " to one of the Stage beans (" + describeNames() + ") or define a Stage bean named '"
								+ key + "'.");
			}
		}
		names().forEach((name) -> resolve(name, null));
		this.properties.getPipelines().forEach(this::validatePipeline);
	}

	private void validatePipeline(String pipeline, BlllibProperties.PipelineProperties settings) {
		String property = "blllib.pipelines." + pipeline + ".stages";
		Set<String> seen = new TreeSet<>();
		for (String stage : settings.getStages()) {
			String beanName = findStage(stage);
			if (beanName == null) {
				throw BlllibConfigurationException.invalidValue(property, stage,
						"a comma-separated list of Stage bean names, each one of: " + describeNames(),
						"pipeline '" + pipeline + "' names stage '" + stage + "' but there is no Stage bean by that name");
			}
			if (!seen.add(beanName)) {
				throw BlllibConfigurationException.invalidValue(property, stage,
						"a comma-separated list of distinct Stage bean names, each one of: " + describeNames(),
						"pipeline '" + pipeline + "' names stage '" + stage + "' twice");
			}
		}
	}

	private StageSettings resolve(String name, Class<?> runtimeType) {
		BlllibStage annotation = findAnnotation(name, runtimeType);
		Function<String, String> annotationOrigin = (attribute) -> "@BlllibStage(" + attribute + ") on stage bean '"
				+ name + "'";
		Map.Entry<String, BlllibProperties.StageProperties> entry = findProperties(name);
		BlllibProperties.StageProperties overrides = (entry != null) ? entry.getValue()
				: new BlllibProperties.StageProperties();
		String propertyPrefix = "blllib.stages." + ((entry != null) ? entry.getKey() : name) + ".";

		String stateful = "true";
		String statefulOrigin = null;
		if (overrides.getStateful() != null) {
			stateful = overrides.getStateful().trim();
			statefulOrigin = propertyPrefix + "stateful";
		}
		else if (annotation != null) {
			statefulOrigin = annotationOrigin.apply("stateful");
			stateful = resolvePlaceholders(annotation.stateful(), statefulOrigin).trim();
		}
		StageKind kind;
		try {
			kind = StageSpec.parseKind(name, stateful);
		}
		catch (IllegalArgumentException ex) {
			throw BlllibConfigurationException.invalidValue(statefulOrigin, stateful, STATEFUL_ALLOWED,
					"stage '" + name + "' must be stateful (true), stateless (false) or take windows of k >= 1 items");
		}

		int batchSize = 1;
		String batchSizeOrigin = null;
		if (overrides.getBatchSize() != null) {
			batchSize = overrides.getBatchSize();
			batchSizeOrigin = propertyPrefix + "batch-size";
		}
		else if (annotation != null) {
			batchSize = annotation.batchSize();
			batchSizeOrigin = annotationOrigin.apply("batchSize");
		}
		if (batchSize < 1) {
			throw BlllibConfigurationException.invalidValue(batchSizeOrigin, batchSize, AT_LEAST_ONE,
					"stage '" + name + "' needs room for at least one item in flight");
		}

		boolean runInMaster = false;
		if (overrides.getRunInMaster() != null) {
			runInMaster = overrides.getRunInMaster();
		}
		else if (annotation != null) {
			runInMaster = annotation.runInMaster();
		}
		int window = (kind == StageKind.WINDOW) ? Integer.parseInt(stateful) : 0;
		String normalized = switch (kind) {
			case STATEFUL -> "true";
			case STATELESS -> "false";
			case WINDOW -> Integer.toString(window);
		};
		return new StageSettings(normalized, kind, window, batchSize, runInMaster, !this.beanFactory.isSingleton(name));
	}

	private String resolvePlaceholders(String value, String origin) {
		try {
			return this.environment.resolveRequiredPlaceholders(value);
		}
		catch (IllegalArgumentException ex) {
			throw BlllibConfigurationException.invalidValue(origin, value,
					STATEFUL_ALLOWED + ", or a ${...} placeholder that resolves to one of them",
					"its placeholder cannot be resolved (" + ex.getMessage() + ")");
		}
	}

	/** The annotation on the {@code @Bean} method, else on the bean's class. */
	private BlllibStage findAnnotation(String name, Class<?> runtimeType) {
		if (this.beanFactory.containsBeanDefinition(name)) {
			BeanDefinition definition = this.beanFactory.getBeanDefinition(name);
			if (definition instanceof AnnotatedBeanDefinition annotated) {
				MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
				if (factoryMethod != null) {
					MergedAnnotation<BlllibStage> onMethod = factoryMethod.getAnnotations().get(BlllibStage.class);
					if (onMethod.isPresent()) {
						return onMethod.synthesize();
					}
				}
			}
		}
		Class<?> type = (runtimeType != null) ? runtimeType : knownType(name);
		return (type != null) ? AnnotatedElementUtils.findMergedAnnotation(type, BlllibStage.class) : null;
	}

	/** The bean's class as far as it is known without creating an instance. */
	private Class<?> knownType(String name) {
		Class<?> observed = this.observedTypes.get(name);
		if (observed != null) {
			return observed;
		}
		if (this.beanFactory.containsSingleton(name) && !this.beanFactory.isFactoryBean(name)) {
			return AopProxyUtils.ultimateTargetClass(this.beanFactory.getSingleton(name));
		}
		return this.beanFactory.getType(name, false);
	}

	private Map.Entry<String, BlllibProperties.StageProperties> findProperties(String name) {
		Map<String, BlllibProperties.StageProperties> stages = this.properties.getStages();
		BlllibProperties.StageProperties exact = stages.get(name);
		if (exact != null) {
			return Map.entry(name, exact);
		}
		String wanted = canonical(name);
		return stages.entrySet()
			.stream()
			.filter((entry) -> canonical(entry.getKey()).equals(wanted))
			.findFirst()
			.orElse(null);
	}

	/** A name without dashes, underscores and case, to match {@code second-diff} with {@code secondDiff}. */
	static String canonical(String name) {
		return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
	}

}
