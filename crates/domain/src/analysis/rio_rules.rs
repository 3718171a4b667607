//! The Rio de Janeiro commitment's criteria and the exact rule that answers each one
//! (kept apart from the assessment code because the rules are long, reviewable text).

use serde::Serialize;

/// One element of the commitment and the rule that answers it. Ids are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Criterion {
    pub id: &'static str,
    /// What is checked, exactly, in English.
    pub rule: &'static str,
}

/// The criteria, in the order of the commitment.
pub const CRITERIA: [Criterion; 10] = [
    Criterion {
        id: "comprehensive",
        rule: "Counts the Stockholm focal points under which the plan itself has records: coordination (a \
               governing body of the plan, or a coordination action of the plan), prevention (a prevention action \
               of the plan), protection (a protection action of the plan, or the plan's provisions on the legal \
               framework), recovery (a recovery action of the plan) and participation (a participation action of \
               the plan, or an answer about the plan on children heard, children's organisations or self-protection \
               that is yes or partial). The State's laws and services are not the plan's content and do not count \
               here. 4 or 5 focal points: yes; 2 or 3: partial; 1: no; none: unknown (nothing recorded to judge \
               by).",
    },
    Criterion {
        id: "inter-sectoral",
        rule: "The governing bodies of the plan (bodies whose plans name it) have members from at least two \
               distinct organisations of State sectors (state, local government, legislative, judicial), or from \
               one of them and an organisation of another sector: yes. Each State organisation counts as its own \
               sector of government, since the registry records no finer sector. Members recorded but not so: no. \
               No member recorded (no body, or a body without members): unknown.",
    },
    Criterion {
        id: "all-stakeholders",
        rule: "A member of the plan's governing bodies, or an organisation named in one of the plan's actions, is \
               of the civil-society sector: yes (international NGOs are recorded in the international sector and do \
               not count). Members, or actions naming organisations, are recorded and none is of civil society: \
               no. Neither is recorded: unknown.",
    },
    Criterion {
        id: "gender-strategies",
        rule: "No structured field. Partial when a text of the plan (name, translations, acronym, summary, changes \
               from the previous plan), of its governing bodies (name, acronym, legal basis, summary, rights \
               perspective), of their members (functions, components) or of the plan's actions (name, summary, \
               target population) mentions one of: gender, género, gênero, women, woman, mujer*, mulher*, femme* \
               (case-insensitive, whole words; * marks a word beginning); the matching records are the evidence. \
               Unknown otherwise. Never yes (a mention is not proof of a strategy) and never no (silence is not \
               absence).",
    },
    Criterion {
        id: "social-protection",
        rule: "No structured field. Partial when a text of the plan, its governing bodies, their members or the \
               plan's actions (the fields listed under gender-strategies) mentions one of: social protection, \
               protección social, proteção social, protection sociale, transfer*, welfare, bienestar, social \
               assistance, asistencia social, poverty, pobreza (case-insensitive, whole words; * marks a word \
               beginning; \"social security\" is left out, as it mostly names ministries). Unknown otherwise; never \
               yes or no.",
    },
    Criterion {
        id: "operational-plans",
        rule: "Yes when another plan of the State is recorded as making this plan operational (a plan link of kind \
               makes-operational to it) and has an adoption date; partial when such a plan is recorded but not \
               adopted (being drafted, pending approval); that plan is the evidence. Otherwise partial when a text of the plan, its \
               governing bodies, their members or the plan's actions (the fields listed under gender-strategies) \
               mentions one of: operational plan*, operational programme*, plan operativo, planes operativos, plano \
               operativo, plan opérationnel, action matrix, matriz de acción, work plan*, working plan*, plan de \
               trabajo, plano de trabalho, plan de travail, annual plan*, operating plan*, implementation plan* \
               (case-insensitive, whole words; * marks a word beginning). Unknown otherwise; never no.",
    },
    Criterion {
        id: "adequate-resources",
        rule: "No structured field for the plan's own resources. Partial when an agency's contribution to the plan \
               is of kind funding, or a text of the plan, its governing bodies, their members or the plan's actions \
               (the fields listed under gender-strategies) mentions one of: fund, funds, funded, funding, financ*, \
               budget*, presupuest*, orçament*, resources, recursos, ressources (case-insensitive, whole words; * \
               marks a word beginning). Money reported is not money shown to be adequate: never yes. Unknown \
               otherwise; never no.",
    },
    Criterion {
        id: "monitoring-evaluation",
        rule: "Yes when an evaluation of the plan is done or in progress. Partial when one is planned, or when a text \
               of the plan, its governing bodies or their members (the fields listed under gender-strategies; not \
               the actions, which monitor media, laws or victims rather than the plan) mentions monitoring: \
               monitor*, follow-up, follow up, follows up, followed up, following up, seguimiento, suivi, \
               acompanhamento, indicator* (case-insensitive, whole words; * marks a word beginning). No when the \
               plan has evaluation records, all not done, and nothing mentions monitoring. Unknown otherwise.",
    },
    Criterion {
        id: "responsible-actors",
        rule: "Every member of the plan's governing bodies has stated functions under the plan or plan components \
               it is responsible for: yes; only some do: partial (the evidence is those that do); none does: no. \
               No member recorded: unknown.",
    },
    Criterion {
        id: "victim-support",
        rule: "The State lists a recovery service for child victims, or the plan has an action under recovery and \
               reintegration: yes. Neither, while the plan has actions recorded: no. Neither, and no action of the \
               plan is recorded: unknown.",
    },
];
