"""The CLIPS text every export starts with: the templates of working memory and three-valued logic.

Templates mirror the working memory of ``engine.inference.memory`` (``finding``, ``assessment``,
``mitigation``, ``derived``, ``verdict``, ``fired``), plus ``open-route`` (a way to mitigate a
barrier whose conditions are unknown, ``assessment``) and ``recommendation`` so that what a rule
recommends can be read back; the ``case`` template depends on the knowledge base and is written
by ``export``. Three-valued logic lives in deffunctions (``tv-*``): an unknown input fact is the
symbol ``UNKNOWN`` (a list fact: the one-element list ``(UNKNOWN)``), and every comparison,
arithmetic operation and connective returns ``TRUE``, ``FALSE`` or ``UNKNOWN``, as
``engine.language.kleene`` does. ``derive`` asserts only a known value that is no truth value
(``policy.derivable``).

Must not: depend on the knowledge base. Entry points: ``PRELUDE`` (CLIPS source), ``UNKNOWN``.
"""

UNKNOWN = "UNKNOWN"

PRELUDE = """\
(deftemplate finding (slot id) (slot kind) (slot factor) (slot severity) (slot mitigable))
(deftemplate assessment (slot finding) (slot kind) (slot factor) (slot severity) (slot mitigated))
(deftemplate mitigation (slot finding) (slot by))
(deftemplate open-route (slot finding) (slot rule))
(deftemplate derived (slot name) (slot value))
(deftemplate verdict (slot value) (slot rule))
(deftemplate fired (slot rule))
(deftemplate recommendation (slot intervention) (slot rule))

;;; Three-valued logic: TRUE, FALSE or UNKNOWN. An unknown fact is the symbol UNKNOWN.
(deffunction tv (?x) (if ?x then TRUE else FALSE))
(deffunction tv-unknown-list ($?l) (and (= (length$ ?l) 1) (eq (nth$ 1 ?l) UNKNOWN)))
(deffunction tv-not (?x) (if (eq ?x TRUE) then FALSE else (if (eq ?x FALSE) then TRUE else UNKNOWN)))
(deffunction tv-and ($?xs)
  (if (member$ FALSE ?xs) then FALSE else (if (member$ UNKNOWN ?xs) then UNKNOWN else TRUE)))
(deffunction tv-or ($?xs)
  (if (member$ TRUE ?xs) then TRUE else (if (member$ UNKNOWN ?xs) then UNKNOWN else FALSE)))
(deffunction tv-eq (?a ?b)
  (if (or (eq ?a UNKNOWN) (eq ?b UNKNOWN)) then (return UNKNOWN))
  (if (and (numberp ?a) (numberp ?b)) then (return (tv (= ?a ?b))))
  (if (or (and (stringp ?a) (stringp ?b)) (and (symbolp ?a) (symbolp ?b)))
   then (return (tv (eq ?a ?b))))
  UNKNOWN)
(deffunction tv-ne (?a ?b) (tv-not (tv-eq ?a ?b)))
(deffunction tv-lt (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (tv (< ?a ?b)) else UNKNOWN))
(deffunction tv-le (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (tv (<= ?a ?b)) else UNKNOWN))
(deffunction tv-gt (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (tv (> ?a ?b)) else UNKNOWN))
(deffunction tv-ge (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (tv (>= ?a ?b)) else UNKNOWN))
(deffunction tv-member (?x $?l)
  (if (or (eq ?x UNKNOWN) (tv-unknown-list ?l)) then UNKNOWN else (tv (member$ ?x ?l))))
(deffunction tv-not-member (?x $?l) (tv-not (tv-member ?x ?l)))
(deffunction tv-empty ($?l) (if (tv-unknown-list ?l) then UNKNOWN else (tv (= (length$ ?l) 0))))
(deffunction tv-known (?x) (tv (neq ?x UNKNOWN)))
(deffunction tv-list-known ($?l) (tv (not (tv-unknown-list ?l))))
(deffunction tv-add (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (+ ?a ?b) else UNKNOWN))
(deffunction tv-sub (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (- ?a ?b) else UNKNOWN))
(deffunction tv-mul (?a ?b) (if (and (numberp ?a) (numberp ?b)) then (* ?a ?b) else UNKNOWN))
(deffunction tv-div (?a ?b)
  (if (and (numberp ?a) (numberp ?b) (<> ?b 0)) then (/ ?a ?b) else UNKNOWN))
(deffunction tv-neg (?a) (if (numberp ?a) then (- 0 ?a) else UNKNOWN))
(deffunction tv-abs (?a) (if (numberp ?a) then (abs ?a) else UNKNOWN))
(deffunction tv-min ($?xs)
  (if (= (length$ ?xs) 0) then (return UNKNOWN))
  (foreach ?x ?xs (if (not (numberp ?x)) then (return UNKNOWN)))
  (bind ?m (nth$ 1 ?xs))
  (foreach ?x ?xs (if (< ?x ?m) then (bind ?m ?x)))
  ?m)
(deffunction tv-max ($?xs)
  (if (= (length$ ?xs) 0) then (return UNKNOWN))
  (foreach ?x ?xs (if (not (numberp ?x)) then (return UNKNOWN)))
  (bind ?m (nth$ 1 ?xs))
  (foreach ?x ?xs (if (> ?x ?m) then (bind ?m ?x)))
  ?m)
(deffunction derived-value (?name)
  (bind ?value UNKNOWN)
  (do-for-all-facts ((?d derived)) (eq ?d:name ?name) (bind ?value ?d:value))
  ?value)
(deffunction derive (?name ?value)
  (if (and (neq ?value UNKNOWN) (neq ?value TRUE) (neq ?value FALSE))
   then (assert (derived (name ?name) (value ?value)))))
"""
