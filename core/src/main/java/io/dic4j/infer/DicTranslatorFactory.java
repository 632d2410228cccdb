package io.dic4j.infer;

import ai.djl.Model;
import ai.djl.modality.cv.Image;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;

/** Picks DIC's translator from the types a {@code Criteria} asks for: Image → Image or Image → {@link DicOutput}. */
public final class DicTranslatorFactory implements TranslatorFactory {

    private static final Set<Pair<Type, Type>> TYPES = Set.of(new Pair<>(Image.class, Image.class),
            new Pair<>(Image.class, DicOutput.class));

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return TYPES;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        if (input == Image.class && output == Image.class) {
            return (Translator<I, O>) DicTranslator.image();
        }
        if (input == Image.class && output == DicOutput.class) {
            return (Translator<I, O>) DicTranslator.full();
        }
        throw new TranslateException("DIC translates Image -> Image or Image -> " + DicOutput.class.getName()
                + ", not " + input.getName() + " -> " + output.getName());
    }
}
