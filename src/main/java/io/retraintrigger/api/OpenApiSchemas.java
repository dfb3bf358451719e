package io.retraintrigger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.quarkus.runtime.StartupEvent;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import jakarta.annotation.Nullable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.camel.openapi.RestModelConverters;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Required and nullable fields in the schemas of the OpenAPI document (/q/openapi), which Camel's OpenAPI
 * (camel-openapi-java) builds from the REST DSL's types with swagger-core's model resolver.
 * <p>
 * swagger-core marks a property required only when a {@code @Schema(requiredMode = REQUIRED)} says so, and
 * nullable never (OpenAPI 3.1), so on its own every field of every answer would be optional and non-null.
 * Our answers are Java records that Jackson writes whole, null fields included: every component is present.
 * So this converter (swagger-core's own extension point, placed first in the chain that Camel's reader uses)
 * marks, for a record:
 * <ul>
 *   <li>every component required, except one annotated {@code @JsonInclude(NON_NULL)} (left out when null);
 *   records with a class-level swagger {@code @Schema} (the request bodies) keep what that annotation says;</li>
 *   <li>a component annotated {@code @jakarta.annotation.Nullable} as "this or null"; every other one never null.</li>
 * </ul>
 */
@ApplicationScoped
public class OpenApiSchemas implements ModelConverter {

    /**
     * Puts this converter first in swagger-core's OpenAPI 3.1 converters, after Camel's own (its
     * RestModelConverters adds one to that same shared instance when its class is loaded).
     */
    void register(@Observes StartupEvent ev) {
        new RestModelConverters(true);
        ModelConverters converters = ModelConverters.getInstance(true);
        if (converters.getConverters().stream().noneMatch(c -> c instanceof OpenApiSchemas)) converters.addConverter(this);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        Schema schema = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
        Class<?> cls = rawClass(type.getType());
        if (schema == null || cls == null || !cls.isRecord() || schema.getProperties() == null) return schema;
        Map<String, Schema> properties = schema.getProperties();
        boolean request = cls.isAnnotationPresent(io.swagger.v3.oas.annotations.media.Schema.class);
        List<String> required = new ArrayList<>(schema.getRequired() == null ? List.of() : schema.getRequired());
        for (RecordComponent c : cls.getRecordComponents()) {
            Schema p = properties.get(c.getName());
            if (p == null) continue;
            JsonInclude include = c.getAccessor().getAnnotation(JsonInclude.class);
            boolean omittedWhenNull = include != null && include.value() != JsonInclude.Include.ALWAYS;
            if (!request && !omittedWhenNull && !required.contains(c.getName())) required.add(c.getName());
            if (c.getAccessor().isAnnotationPresent(Nullable.class)) properties.put(c.getName(), orNull(p));
        }
        schema.setRequired(required.isEmpty() ? null : required);
        return schema;
    }

    /** {@code anyOf: [the property's schema, {type: null}]}: works alike for a $ref, an enum and a plain type. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema orNull(Schema p) {
        Schema either = new JsonSchema().anyOf(List.of(p, new JsonSchema().types(new LinkedHashSet<>(List.of("null")))));
        either.setDescription(p.getDescription());
        return either;
    }

    private static Class<?> rawClass(Type t) {
        if (t instanceof Class<?> c) return c;
        if (t instanceof JavaType j) return j.getRawClass();
        return t == null ? null : TypeFactory.defaultInstance().constructType(t).getRawClass();
    }
}
