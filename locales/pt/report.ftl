# The annual report's own text (shared labels such as indicators, plan kinds and answers are in
# main.ftl). Keys start with `report-`; every key must exist in all four languages (a test checks).
report-title = Relatório anual { $cycle }: planos nacionais contra a exploração sexual de crianças e adolescentes nas Américas
report-subtitle = Gerado pelo Observa a partir do registro e das respostas à consulta; vigência dos planos determinada em { $on }
report-contents = Sumário
report-page = Página
report-and = e
report-appendix = Apêndice
report-editorial-missing = A Secretaria ainda não redigiu esta seção para este ciclo e idioma.
report-summaries-translated = Os resumos das respostas dos Estados são da equipe de curadoria, redigidos a partir do relatório e apresentados em português, espanhol, inglês e francês, cada um com referência à sua fonte. Instituições, planos e leis aparecem com seu nome oficial, no idioma próprio, acompanhado de uma tradução quando ela difere.

report-h-introduction = I. Introdução
report-h-methodology = II. Metodologia
report-h-status = III. Situação dos planos nacionais
report-h-focal-points = IV. Os planos por eixo
report-h-general-evaluation = Avaliação geral do processo
report-h-conclusions = VI. Constatações e conclusões
report-h-findings = Constatações calculadas a partir do registro
report-h-conclusions-text = Conclusões
report-h-disagreements = Divergências entre a fonte e os dados
report-h-recommendations = VII. Reflexões finais e recomendações
report-h-appendices = VIII. Apêndices
report-h-agencies = Contribuições dos organismos internacionais
report-h-laws = Leis informadas pelos Estados
report-h-swot = Síntese de forças, fraquezas, oportunidades e ameaças
report-h-questionnaire = O questionário da consulta
report-h-reporting = Relatórios ao Comitê dos Direitos da Criança no âmbito do Protocolo Facultativo
report-h-ratifications = Ratificação dos instrumentos internacionais
report-h-comparison = Comparação dos Estados por indicador

report-responses = { $answered } dos { $members } Estados membros da OEA responderam à consulta de { $cycle }.
report-respondents = Estados que responderam: { $states }.
report-registry-figures = Para esses Estados, o registro contém { $plans } planos, { $bodies } órgãos gestores com { $members } integrantes, { $laws } leis, { $actions } ações e { $services } serviços.
report-responses-caption = Respostas à consulta de { $cycle } e instituições que as elaboraram
report-status-intro = Todos os planos informados pelos Estados, com a data de aprovação e a vigência tal como constam na fonte, e a indicação de se estavam vigentes em { $on }. Um asterisco assinala o último plano aprovado, que é o analisado no relatório.
report-status-caption = Situação dos planos nacionais
report-status-note = "Sem informação" na última coluna significa que a fonte não indica data de término nem situação que permita determinar a vigência do plano nessa data.
report-col-plan = Plano (idioma original)
report-focal-intro = Cada eixo da Agenda para a Ação de Estocolmo começa indicando quantos dos Estados respondentes cumprem cada indicador, com uma tabela das respostas; em seguida, apresenta-se um resumo por Estado.
report-indicator-counts = { $indicator }: { $yes } sim, { $partly } parcialmente, { $no } não, { $unknown } sem informação (de { $total } Estados).
report-indicators-caption = Indicadores de { $group }, por Estado
report-body-line = criação: { $established }; { $count ->
        [one] { $count } integrante
       *[other] { $count } integrantes
    } ({ $sectors }); expressão local: { $local }.
report-impact-evaluation = avaliação de impacto
report-protection-effective = Marco legal considerado eficaz
report-laws-listed = { $count ->
        [one] { $count } lei informada
       *[other] { $count } leis informadas
    }
report-difficulties = Dificuldades
report-integrated = integrado ao sistema de proteção
report-evaluation = avaliação
report-col-which-states = Estados envolvidos
report-col-category = Categoria
report-col-theme = Tema
report-col-total = Estados
report-col-items = Itens (Estados que mencionam cada um)
report-finding-no-specific-plan = { $count } dos { $total } Estados comparados não têm como último plano aprovado um plano específico contra a exploração sexual de crianças e adolescentes: { $states }.
report-finding-local = { $count ->
        [one] { $count } órgão gestor informa
       *[other] { $count } órgãos gestores informam
    } uma expressão local, total ou parcial: { $bodies }.
report-finding-agencies = Organismos internacionais mencionados pelo maior número de Estados: { $agencies }.
report-finding-prevention = { $count } de { $total } Estados informam uma ação de prevenção cujo impacto foi avaliado.
report-finding-services = { $count } de { $total } Estados informam um serviço de recuperação que foi avaliado.
report-finding-children = Crianças e adolescentes foram ouvidos na elaboração do plano em { $count } de { $total } Estados, e parcialmente em outros { $partly }.
report-disagreements-intro = A equipe de curadoria registrou cada caso em que duas fontes, ou duas partes da fonte, dizem coisas diferentes, com a conclusão a que chegou.
report-col-first = Uma fonte diz
report-col-second = A outra diz
report-col-conclusion = Conclusão
report-no-questionnaire = Nenhum questionário registrado para este ciclo.
report-questionnaire-intro = O questionário { $id }, versão { $version }, tal como o recebem os pontos de contato.
report-reporting-intro = Os números da fonte são apresentados tal como impressos; o prazo previsto no artigo 12(1) é calculado segundo as próprias regras do Protocolo, e a última coluna conta as divergências encontradas.
report-col-report = Relatório
report-col-ratification = Ratificação (fonte)
report-col-due-source = Prazo (fonte)
report-col-due-rule = Prazo (regra do art. 12)
report-col-distributed = Distribuído
report-col-discussed = Examinado
report-col-flags = Alertas
report-ratifications-intro = Datas de ratificação por Estado e instrumento; "a" indica adesão, "d" sucessão, "s" assinatura não seguida de ratificação, "—" nenhuma ação; uma célula vazia significa que a tabela da fonte não tem linha para o Estado.
report-comparison-intro = Os dezesseis indicadores para os Estados respondentes, em { $on }.
report-short-yes = S
report-short-partial = P
report-short-no = N
report-short-unknown = ?
report-short-legend = S: sim; P: parcialmente; N: não; ?: sem informação.
report-sheet-status = Situação dos planos
report-sheet-agencies = Organismos
report-sheet-laws = Leis
report-sheet-swot = FOFA
report-sheet-reporting = Apêndice 2 relatórios
report-sheet-ratifications = Apêndice 3 ratificações
report-sheet-comparison = Comparação
report-h-rio = Avaliação frente ao compromisso do Rio de Janeiro
report-rio-intro = O último plano aprovado de cada Estado é avaliado frente aos { $criteria } elementos de um plano definidos no III Congresso Mundial (Rio de Janeiro, 2008), com as regras publicadas nas páginas de análise do portal. A pontuação soma 2 pontos por critério cumprido e 1 por critério cumprido em parte, sobre os critérios que puderam ser avaliados; a resposta do Estado é mostrada como foi escrita.
report-col-score = Pontuação
report-col-reply = Resposta do Estado
report-sheet-rio = Compromisso do Rio
report-adoption-pending-approval = aguardando aprovação
report-adoption-to-be-submitted = a ser apresentado
report-adoption-unknown = não se sabe

# The monitoring section (approved values only).
report-h-monitoring = V. Acompanhamento dos planos
report-monitoring-none = Nenhum Estado informou ainda dados de acompanhamento: nenhum plano é acompanhado por meio de indicadores no Observa. Um Estado começa quando a secretaria cria uma conta de “coordenador(a) do plano” para a sua comissão nacional ou secretaria técnica; quem coordena registra a matriz de ações do plano (objetivos, linhas de ação, ações e indicadores com linha de base e meta) no portal ou enviando a planilha do plano e, depois, informa um valor para cada indicador e período, que esta seção conta assim que a secretaria o aprova.
report-monitoring-intro = Números em { $on }, a partir dos valores aprovados pela secretaria; os valores à espera de aprovação ou devolvidos não são contados. { $count } dos { $total } Estados membros da OEA acompanham o seu plano por meio de indicadores: { $states }.
report-h-monitoring-states = Os Estados comparados
report-monitoring-states-table = Planos acompanhados por meio de indicadores: pontos focais atendidos e dados recentes
report-col-recent = Indicadores com um valor aprovado do último ano
report-col-recent-share = Proporção (%)
report-monitoring-coverage-caption = Pontos focais atendidos pelos indicadores dos Estados
report-monitoring-tracks-caption = Indicadores no rumo certo, fora do rumo e sem dados para avaliar, por plano
report-sheet-monitoring = Acompanhamento
report-sheet-monitoring-tracks = Avaliações do acompanhamento
report-h-monitoring-plans = Indicadores-chave por plano
report-monitoring-key-intro = Para cada plano são representados no máximo { $count } indicadores: os que têm valores aprovados, primeiro os de resultado e depois os que têm mais valores. Cada gráfico mostra os valores aprovados e a linha tracejada que vai da linha de base à meta; a tabela que o segue dá os mesmos números.
report-monitoring-plan-summary = { $indicators ->
        [one] Um indicador
       *[other] { $indicators } indicadores
    }: { $on } no rumo certo, { $off } fora do rumo, { $none } sem dados para avaliar.
report-monitoring-no-key = Nenhum indicador deste plano tem ainda um valor aprovado.
report-monitoring-chart-caption = { $indicator } ({ $unit }): { $track }
report-monitoring-data-caption = Números do gráfico: { $indicator }
report-monitoring-approved = Valor aprovado
report-col-point = Ponto
report-col-date = Data
report-chart-note = Gráfico nas edições HTML, PDF e DOCX; os seus números seguem
report-monitoring-earlier = { $count ->
        [one] Um valor aprovado anterior (no gráfico e na planilha)
       *[other] { $count } valores aprovados anteriores (no gráfico e na planilha)
    }
report-monitoring-demonstration = Dados de demonstração: os números de acompanhamento desta seção são sintéticos, gerados por “observa demo” para experimentar o Observa. Não são relatórios de nenhum Estado.
