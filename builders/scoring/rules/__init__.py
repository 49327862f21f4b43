"""The Bokmål grammar rules, each a pure function `Doc -> Iterator[Violation]`, and the versioned rule set.

A config names a rule set by its registry name (`saga.rules.v2`), never by pasting rules into it. Changing what a
rule checks, adding or removing a rule, or changing a default weight requires a new registry name (`saga.rules.v2`)
and a `SCORER_VERSION` bump in `saga.builders.scoring.fingerprint`, so scores cached or stored under the old name are
never mixed with new ones. `saga.rules.v1` is gone on purpose: its rules changed behaviour under the same name
(scorer 1.5 to 1.9), so no code reproduces what it meant; `CHANGELOG.md` says what each scorer version changed.

Weights are in sentence units: a violation of weight 1.0 in a one-sentence text takes the grammar term from 1 to 0
(see `saga.builders.scoring.formula`). `saga scorer info` prints every rule with its weight and what it checks.

The rules run on the parser's analysis, so a rule can only see an error the parser represents; the rules that read
the parse's shape (`garbled_attachment`, `orphan_conjunction`, `dangling_function_word`) exist because a statistical
parser meets a garbled sentence with an implausible analysis rather than a failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.util import registry

from saga.builders.scoring.rules.agreement import (
    np_definiteness,
    np_gender_agreement,
    np_number_agreement,
    predicative_agreement,
)
from saga.builders.scoring.rules.clause_structure import (
    double_subject,
    missing_finite_verb,
    missing_subject,
    nonfinite_clause,
    subject_after_nonfinite_verb,
    subordinate_adverb_order,
    subordinate_clause_fragment,
    v2_word_order,
    verb_first_declarative,
)
from saga.builders.scoring.rules.completion import (
    invented_words,
    links_and_code,
    noise_characters,
    numbers_only,
    prompt_copy,
    shouting,
    task_restatement,
)
from saga.builders.scoring.rules.determiners import (
    demonstrative_definiteness,
    noe_adjective,
    plural_quantifier_number,
    possessive_agreement,
    possessive_definiteness,
)
from saga.builders.scoring.rules.language import non_bokmal_language
from saga.builders.scoring.rules.lexical import (
    duplicate_sentence,
    misspelling,
    pronoun_case,
    repeated_word,
    unknown_word,
)
from saga.builders.scoring.rules.orthography import (
    capital_inside_sentence,
    closing_punctuation,
    lowercase_name,
    sentence_capitalisation,
    unbalanced_delimiters,
)
from saga.builders.scoring.rules.punctuation import (
    comma_after_fronted_clause,
    comma_after_inner_clause,
    comma_before_men,
    comma_before_object_clause,
    comma_between_main_clauses,
)
from saga.builders.scoring.rules.verb_forms import infinitive_marker_form, modal_infinitive, perfect_participle
from saga.builders.scoring.rules.word_order import (
    auxiliary_after_verb,
    dangling_function_word,
    embedded_question_order,
    garbled_attachment,
    misplaced_conjunction,
    misplaced_subordinator,
    missing_coordinator,
    orphan_conjunction,
    postposed_adjective,
    postposed_determiner,
    postposed_preposition,
)
from saga.builders.scoring.violations import Violation

Rule = Callable[[Doc], Iterator[Violation]]

RULES_V2: dict[str, Rule] = {
    "missing_finite_verb": missing_finite_verb,
    "missing_subject": missing_subject,
    "v2_word_order": v2_word_order,
    "verb_first_declarative": verb_first_declarative,
    "double_subject": double_subject,
    "subject_after_nonfinite_verb": subject_after_nonfinite_verb,
    "subordinate_clause_fragment": subordinate_clause_fragment,
    "nonfinite_clause": nonfinite_clause,
    "subordinate_adverb_order": subordinate_adverb_order,
    "embedded_question_order": embedded_question_order,
    "np_gender_agreement": np_gender_agreement,
    "np_number_agreement": np_number_agreement,
    "np_definiteness": np_definiteness,
    "predicative_agreement": predicative_agreement,
    "plural_quantifier_number": plural_quantifier_number,
    "possessive_definiteness": possessive_definiteness,
    "possessive_agreement": possessive_agreement,
    "demonstrative_definiteness": demonstrative_definiteness,
    "noe_adjective": noe_adjective,
    "infinitive_marker_form": infinitive_marker_form,
    "modal_infinitive": modal_infinitive,
    "perfect_participle": perfect_participle,
    "postposed_preposition": postposed_preposition,
    "postposed_determiner": postposed_determiner,
    "postposed_adjective": postposed_adjective,
    "misplaced_subordinator": misplaced_subordinator,
    "misplaced_conjunction": misplaced_conjunction,
    "auxiliary_after_verb": auxiliary_after_verb,
    "missing_coordinator": missing_coordinator,
    "orphan_conjunction": orphan_conjunction,
    "garbled_attachment": garbled_attachment,
    "dangling_function_word": dangling_function_word,
    "pronoun_case": pronoun_case,
    "misspelling": misspelling,
    "unknown_word": unknown_word,
    "repeated_word": repeated_word,
    "duplicate_sentence": duplicate_sentence,
    "sentence_capitalisation": sentence_capitalisation,
    "capital_inside_sentence": capital_inside_sentence,
    "lowercase_name": lowercase_name,
    "closing_punctuation": closing_punctuation,
    "comma_after_fronted_clause": comma_after_fronted_clause,
    "comma_after_inner_clause": comma_after_inner_clause,
    "comma_before_men": comma_before_men,
    "comma_between_main_clauses": comma_between_main_clauses,
    "comma_before_object_clause": comma_before_object_clause,
    "unbalanced_delimiters": unbalanced_delimiters,
    "non_bokmal_language": non_bokmal_language,
    "prompt_copy": prompt_copy,
    "task_restatement": task_restatement,
    "invented_words": invented_words,
    "noise_characters": noise_characters,
    "shouting": shouting,
    "links_and_code": links_and_code,
    "numbers_only": numbers_only,
}

DEFAULT_WEIGHTS_V2: dict[str, float] = {
    "missing_finite_verb": 1.5,
    "missing_subject": 0.75,
    "v2_word_order": 0.75,
    "verb_first_declarative": 0.5,
    "double_subject": 0.5,
    "subject_after_nonfinite_verb": 0.6,
    "subordinate_clause_fragment": 0.75,
    "nonfinite_clause": 0.75,
    "subordinate_adverb_order": 0.4,
    "embedded_question_order": 0.5,
    "np_gender_agreement": 0.5,
    "np_number_agreement": 0.5,
    "np_definiteness": 0.5,
    "predicative_agreement": 0.5,
    "plural_quantifier_number": 0.5,
    "possessive_definiteness": 0.5,
    "possessive_agreement": 0.5,
    "demonstrative_definiteness": 0.5,
    "noe_adjective": 0.5,
    "infinitive_marker_form": 0.6,
    "modal_infinitive": 0.6,
    "perfect_participle": 0.6,
    "postposed_preposition": 0.6,
    "postposed_determiner": 0.6,
    "postposed_adjective": 0.5,
    "misplaced_subordinator": 0.6,
    "misplaced_conjunction": 0.6,
    "auxiliary_after_verb": 0.6,
    "missing_coordinator": 0.5,
    "orphan_conjunction": 0.5,
    "garbled_attachment": 0.4,
    "dangling_function_word": 0.6,
    "pronoun_case": 0.5,
    "misspelling": 0.5,
    "unknown_word": 0.3,
    "repeated_word": 0.5,
    "duplicate_sentence": 1.0,
    "sentence_capitalisation": 0.15,
    "capital_inside_sentence": 0.3,
    "lowercase_name": 0.3,
    "closing_punctuation": 0.15,
    "comma_after_fronted_clause": 0.3,
    "comma_after_inner_clause": 0.15,
    "comma_before_men": 0.3,
    "comma_between_main_clauses": 0.2,
    "comma_before_object_clause": 0.2,
    "unbalanced_delimiters": 0.25,
    "non_bokmal_language": 1.5,
    "prompt_copy": 1.5,
    "task_restatement": 1.0,
    "invented_words": 1.5,
    "noise_characters": 1.0,
    "shouting": 1.0,
    "links_and_code": 1.5,
    "numbers_only": 1.0,
}

# Rules whose absence defines `parse_success`: a finite verb in every sentence and a subject in finite
# declarative clauses.
PARSE_SUCCESS_RULES = frozenset({"missing_finite_verb", "missing_subject"})


@dataclass(frozen=True)
class RuleSet:
    """A named, versioned collection of rules with their default weights.

    Args:
        name (`str`): the registry name, e.g. `"saga.rules.v2"`; part of the scorer fingerprint.
        rules (`Mapping[str, Rule]`): rule id to check function, run in this order.
        weights (`Mapping[str, float]`): default weight per rule id, in sentence units.

    Example:
        ```python
        >>> rule_set = registry.misc.get("saga.rules.v2")()
        >>> rule_set.weights["missing_finite_verb"]
        1.5
        ```
    """

    name: str
    rules: Mapping[str, Rule]
    weights: Mapping[str, float]

    def __post_init__(self):
        if set(self.rules) != set(self.weights):
            raise ValueError(
                f"rule set {self.name}: rules without weight {sorted(set(self.rules) - set(self.weights))}, "
                f"weights without rule {sorted(set(self.weights) - set(self.rules))}"
            )


@registry.misc("saga.rules.v2")
def rules_v2() -> RuleSet:
    """The Bokmål rule set: clause structure, agreement, determiners, verb forms, word order, spelling,
    capitalisation, commas, language."""
    return RuleSet("saga.rules.v2", RULES_V2, DEFAULT_WEIGHTS_V2)


__all__ = ["DEFAULT_WEIGHTS_V2", "PARSE_SUCCESS_RULES", "RULES_V2", "Rule", "RuleSet", "rules_v2"]
