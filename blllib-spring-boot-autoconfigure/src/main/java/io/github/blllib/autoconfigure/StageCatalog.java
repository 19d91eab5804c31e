package io.github.blllib.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.github.blllib.AsyncStage;
import io.github.blllib.BlllibStage;
import io.github.blllib.DurationLimit;
import io.github.blllib.InvalidStageSettingException;
import io.github.blllib.Pipeline;
import io.github.blllib.RateLimit;
import io.github.blllib.RelaxedNames;
import io.github.blllib.Retry;
import io.github.blllib.Stage;
import io.github.blllib.StageSettings;
import io.github.blllib.StageSpec;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.env.Environment;
import org.springframework.core.type.MethodMetadata;

/**
 * The application's {@link Stage} and {@link AsyncStage} beans, by bean name, each with the
 * settings it declares:
 * {@link BlllibStage @BlllibStage} on the {@code @Bean} method or else on the bean's class
 * ({@code ${...}} placeholders in {@code stateful} resolved), overridden key by key by the
 * {@code blllib.stages.<name>.*} properties; the failure policy ({@code retry.*},
 * {@code on-failure}, {@code skip-limit}, {@code timeout}) comes from the properties alone. The
 * core's {@link StageSettings.Builder} and {@link Retry} check every value: a bad one becomes
 * Boot's {@link InvalidConfigurationPropertyValueException} for the property it came from (Boot's
 * analysis adds where it was set), or a {@link BlllibConfigurationException} naming the
 * {@code @BlllibStage} annotation.
 *
 * <p>Settings are read without instantiating beans: a singleton is looked at once it exists, a
 * prototype only through its declared type until {@link #newSpec(String)} first creates one. The
 * whole configuration is checked once every singleton exists, so that start-up fails on it.
 */
final class StageCatalog implements SmartInitializingSingleton {

	/** The settings of a stage that declares none: the annotation's defaults. */
	private static final BlllibStage DEFAULTS = MergedAnnotation.of(BlllibStage.class).synthesize();

	/** The settings an annotation may declare; the others come from properties alone. */
	private static final Set<String> ANNOTATION_SETTINGS = Set.of(InvalidStageSettingException.STATEFUL,
			InvalidStageSettingException.BATCH_SIZE, InvalidStageSettingException.RUN_IN_MASTER);

	private final ConfigurableListableBeanFactory beanFactory;

	private final Environment environment;

	private final BlllibProperties properties;

	/** The rate limit of each stage bean that has one, by bean name: one budget per bean. */
	private final Map<String, RateLimit> rateLimits = new ConcurrentHashMap<>();

	/** The runtime classes of stage beans seen by {@link #newSpec(String)}, for prototypes. */
	private final Map<String, Class<?>> observedTypes = new ConcurrentHashMap<>();

	StageCatalog(ConfigurableListableBeanFactory beanFactory, Environment environment, BlllibProperties properties) {
		this.beanFactory = beanFactory;
		this.environment = environment;
		this.properties = properties;
	}

	/** The names of the Stage and AsyncStage beans, sorted. */
	SortedSet<String> names() {
		SortedSet<String> names = new TreeSet<>();
		for (Class<?> type : List.of(Stage.class, AsyncStage.class)) {
			for (String name : this.beanFactory.getBeanNamesForType(type, true, false)) {
				if (!ScopedProxyUtils.isScopedTarget(name)) {
					names.add(name);
				}
			}
		}
		return names;
	}

	/** Whether the stage bean {@code name} is an {@link AsyncStage}, judged without creating it. */
	boolean isAsync(String name) {
		return this.beanFactory.isTypeMatch(name, AsyncStage.class);
	}

	/** Every Stage bean's settings, by name, without creating an instance. */
	SortedMap<String, StageSettings> stages() {
		SortedMap<String, StageSettings> stages = new TreeMap<>();
		names().forEach((name) -> stages.put(name, resolve(name, null)));
		return stages;
	}

	/**
	 * A spec for the Stage bean {@code name} with its settings. Fetches the bean: a
	 * prototype-scoped bean gives a fresh instance on every call.
	 * @throws IllegalArgumentException when there is no such Stage bean, listing the known ones
	 */
	StageSpec<?, ?> newSpec(String name) {
		String beanName = requireStage(name);
		if (isAsync(beanName)) {
			AsyncStage<?, ?> stage = this.beanFactory.getBean(beanName, AsyncStage.class);
			Class<?> type = AopProxyUtils.ultimateTargetClass(stage);
			this.observedTypes.put(beanName, type);
			return StageSpec.async(beanName, stage, resolve(beanName, type));
		}
		Stage<?, ?> stage = this.beanFactory.getBean(beanName, Stage.class);
		Class<?> type = AopProxyUtils.ultimateTargetClass(stage);
		this.observedTypes.put(beanName, type);
		return StageSpec.of(beanName, stage, resolve(beanName, type));
	}

	/**
	 * Worker threads of the shared pool: {@code blllib.n-cpu}, or else
	 * {@link StageSettings#defaultNCpu} over every Stage bean (an AsyncStage bean takes no thread,
	 * whatever its {@code stateful}).
	 */
	int nCpu() {
		Integer configured = this.properties.getNCpu();
		if (configured != null) {
			try {
				return Pipeline.validNCpu(null, configured);
			}
			catch (InvalidStageSettingException ex) {
				throw new InvalidConfigurationPropertyValueException("blllib.n-cpu",
						this.environment.getProperty("blllib.n-cpu", ex.value()), "the worker pool cannot take it. "
								+ "Allowed values: " + ex.allowedValues()
								+ ", or no value for the default max(1, processors - stateful stages)");
			}
		}
		SortedMap<String, StageSettings> stages = stages();
		stages.keySet().removeIf(this::isAsync);
		return StageSettings.defaultNCpu(stages.values());
	}

	/**
	 * Checks the whole configuration now that singleton stage beans exist and their classes are
	 * known: every {@code blllib.stages.<name>} key names a Stage bean, every Stage bean's
	 * settings, {@code blllib.n-cpu} and the configured pipelines.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		for (String key : this.properties.getStages().keySet()) {
			if (findStage(key) == null) {
				String property = "blllib.stages." + key;
				throw new BlllibConfigurationException(property, key, "the name of a Stage bean: " + describeNames(),
						"there is no Stage bean named '" + key + "'", "Rename " + property
								+ " to one of the Stage beans (" + describeNames() + ") or define a Stage bean named '"
								+ key + "'.");
			}
		}
		for (String name : names()) {
			if (isAsync(name) && this.beanFactory.isTypeMatch(name, Stage.class)) {
				throw new BlllibConfigurationException("blllib.stages." + propertyKey(name), name,
						"a bean that is either a Stage or an AsyncStage",
						"stage bean '" + name + "' is both a Stage and an AsyncStage, so it is not clear how to call it",
						"Make bean '" + name + "' implement only one of Stage and AsyncStage.");
			}
		}
		stages();
		nCpu();
		this.properties.getPipelines().forEach(this::validatePipeline);
	}

	/**
	 * The Stage bean name a configured name refers to, as {@link RelaxedNames} finds it;
	 * {@code null} when there is none.
	 */
	String findStage(String name) {
		return RelaxedNames.find(name, names()).orElse(null);
	}

	/** The known stage names for messages: "a, b, c" or a note that there are none. */
	String describeNames() {
		Set<String> names = names();
		return names.isEmpty() ? "(none: the application defines no Stage or AsyncStage bean)" : String.join(", ", names);
	}

	private String requireStage(String name) {
		String beanName = findStage(name);
		if (beanName == null) {
			throw new IllegalArgumentException(
					"No Stage bean named '" + name + "'; known stage beans: " + describeNames());
		}
		return beanName;
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

	/** The key of {@code name}'s entry in {@code blllib.stages}, as written, or the name itself. */
	private String propertyKey(String name) {
		return RelaxedNames.find(name, this.properties.getStages().keySet()).orElse(name);
	}

	private BlllibProperties.StageProperties stageProperties(String key) {
		return this.properties.getStages().getOrDefault(key, new BlllibProperties.StageProperties());
	}

	/**
	 * Every setting of stage bean {@code name}: the annotation's, with the properties set for it
	 * in their place, and the failure policy of its properties; checked by the core.
	 */
	private StageSettings resolve(String name, Class<?> runtimeType) {
		BlllibStage annotation = findAnnotation(name, runtimeType);
		String key = propertyKey(name);
		BlllibProperties.StageProperties properties = stageProperties(key);
		String stateful = properties.getStateful();
		String unresolvedPlaceholder = null;
		if (stateful == null) {
			try {
				stateful = this.environment.resolveRequiredPlaceholders(annotation.stateful());
			}
			catch (IllegalArgumentException ex) {
				// left as written, so that the core rejects it; the report says why
				stateful = annotation.stateful();
				unresolvedPlaceholder = ex.getMessage();
			}
		}
		try {
			StageSettings.Builder settings = StageSettings.builder(name)
				.stateful(stateful)
				.batchSize((properties.getBatchSize() != null) ? properties.getBatchSize() : annotation.batchSize())
				.runInMaster((properties.getRunInMaster() != null) ? properties.getRunInMaster()
						: annotation.runInMaster())
				.retry(retry(stagePrefix(key) + "retry.", properties.getRetry()))
				.skipFailures(properties.getOnFailure() == BlllibProperties.OnFailure.SKIP)
				.timeout(properties.getTimeout())
				.rateLimit(rateLimit(name, stagePrefix(key) + "rate-limit.", properties.getRateLimit()));
			if (properties.getSkipLimit() != null) {
				settings.skipLimit(properties.getSkipLimit());
			}
			return isAsync(name) ? settings.build().checkedForAsync(name) : settings.build();
		}
		catch (InvalidStageSettingException ex) {
			throw reported(ex, name, key, annotation, unresolvedPlaceholder);
		}
	}

	/**
	 * The stage bean's rate limit, made once from its {@code rate-limit.*} properties so that
	 * every pipeline using the bean shares one budget; null when {@code permits} is unset.
	 */
	private RateLimit rateLimit(String name, String prefix, BlllibProperties.RateLimitProperties properties) {
		if (properties.getPermits() == null) {
			if (properties.getPeriod() != null) {
				throw new InvalidConfigurationPropertyValueException(prefix + "period", properties.getPeriod(),
						"it has no effect without " + prefix + "permits: set that too, or remove this one");
			}
			return null;
		}
		Duration period = (properties.getPeriod() != null) ? properties.getPeriod() : Duration.ofSeconds(1);
		return this.rateLimits.computeIfAbsent(name, (bean) -> RateLimit.of(properties.getPermits(), period));
	}

	/** The retry the {@code retry.*} properties describe, or null when max-retries is unset. */
	private static Retry retry(String prefix, BlllibProperties.RetryProperties properties) {
		if (properties.getMaxRetries() == null) {
			Map<String, Object> others = new LinkedHashMap<>();
			others.put("delay", properties.getDelay());
			others.put("multiplier", properties.getMultiplier());
			others.put("max-delay", properties.getMaxDelay());
			others.put("includes", properties.getIncludes().isEmpty() ? null : properties.getIncludes());
			others.put("excludes", properties.getExcludes().isEmpty() ? null : properties.getExcludes());
			for (Map.Entry<String, Object> other : others.entrySet()) {
				if (other.getValue() != null) {
					throw new InvalidConfigurationPropertyValueException(prefix + other.getKey(), other.getValue(),
							"it has no effect without " + prefix + "max-retries: set that too, or remove this one");
				}
			}
			return null;
		}
		Retry retry = Retry.maxRetries(properties.getMaxRetries());
		if (properties.getDelay() != null) {
			retry = retry.delay(properties.getDelay());
		}
		if (properties.getMultiplier() != null) {
			retry = retry.multiplier(properties.getMultiplier());
		}
		if (properties.getMaxDelay() != null) {
			retry = retry.maxDelay(properties.getMaxDelay());
		}
		if (!properties.getIncludes().isEmpty()) {
			retry = retry.includes(properties.getIncludes().toArray(Class[]::new));
		}
		if (!properties.getExcludes().isEmpty()) {
			retry = retry.excludes(properties.getExcludes().toArray(Class[]::new));
		}
		return retry;
	}

	/**
	 * The core's refusal of a setting of stage bean {@code name}, reported against where the
	 * value was declared: Boot's exception for its {@code blllib.stages.<key>.*} property (its
	 * analysis shows the file and line), else ours for the {@code @BlllibStage} attribute.
	 */
	private RuntimeException reported(InvalidStageSettingException ex, String name, String key,
			BlllibStage annotation, String unresolvedPlaceholder) {
		String property = stagePrefix(key) + propertySuffix(ex.setting());
		String written = this.environment.getProperty(property);
		String allowed = ex.allowedValues();
		if (written != null || !ANNOTATION_SETTINGS.contains(ex.setting())) {
			return new InvalidConfigurationPropertyValueException(ConfigurationPropertyName.adapt(property, '.').toString(),
					(written != null) ? written : ex.value(),
					"stage bean '" + name + "' cannot take it. Allowed values: " + allowed);
		}
		String attribute = "@BlllibStage(" + ex.setting() + ") on stage bean '" + name + "'";
		if (unresolvedPlaceholder != null) {
			return BlllibConfigurationException.invalidValue(attribute, ex.value(),
					allowed + ", or a ${...} placeholder that resolves to one of them",
					"its placeholder cannot be resolved (" + unresolvedPlaceholder + ")");
		}
		return BlllibConfigurationException.invalidValue(attribute, ex.value(), allowed,
				"stage bean '" + name + "' cannot take it (declared as " + annotation + ")");
	}

	/** The property of a {@link InvalidStageSettingException#setting()}: {@code retry.maxRetries} is {@code retry.max-retries}. */
	static String propertySuffix(String setting) {
		return setting.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private static String stagePrefix(String key) {
		return "blllib.stages." + key + ".";
	}

	/** The annotation on the {@code @Bean} method, else on the bean's class, else the defaults. */
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
		BlllibStage onClass = (type != null) ? AnnotatedElementUtils.findMergedAnnotation(type, BlllibStage.class)
				: null;
		return (onClass != null) ? onClass : DEFAULTS;
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

}
