//! Playbook suggestions: offered only once they parse, render and pass
//! `ansible-playbook --syntax-check`; the offered body creates a playbook as is.

use crate::ai_support::{AiSetup, FakeLlm, Reply, ai_app, ansible_installed};
use crate::ai_test;
use serde_json::json;
use std::time::Duration;

const GOOD: &str = "Here is a playbook that installs and starts nginx:\n\n```yaml\n---\n- name: Deploy Nginx\n  hosts: web\n  become: true\n  gather_facts: false\n  tasks:\n    - name: Install nginx\n      ansible.builtin.apt:\n        name: nginx\n        state: present\n        update_cache: yes\n    - name: Start nginx\n      ansible.builtin.service:\n        name: nginx\n        state: started\n        enabled: true\n```\n\nShall I create it for you?";

fn fenced(yaml: &str) -> String {
    format!("Try this:\n```yaml\n{yaml}```\nIt should work.")
}

ai_test!(
    a_valid_playbook_is_offered_and_its_data_creates_a_playbook_that_checks,
    |backend| {
        let llm = FakeLlm::start(Reply::Answer(GOOD.into()));
        let Some(app) = ai_app(backend, &AiSetup::at(llm.base_url())).await else {
            return;
        };
        let ansible = ansible_installed();
        let reply = app.ask("Deploy nginx on web", None).await;
        reply.assert_status(200);
        let data = &reply.body["data"];
        assert_eq!(data["quickReplies"], json!(["Yes", "No"]));
        let actions = data["suggestedActions"].as_array().unwrap();
        assert_eq!(actions.len(), 1, "{data}");
        let action = &actions[0];
        assert_eq!(action["type"], "create_playbook");
        assert!(action["label"].as_str().unwrap().contains("Deploy Nginx"));
        assert_eq!(action["syntaxChecked"], ansible);
        let body = action["data"].clone();
        assert_eq!(body["name"], "Deploy Nginx");
        assert_eq!(body["type"], "Machine");
        assert_eq!(
            body["main"],
            json!({ "hosts": "web", "gatherFacts": false, "become": true })
        );
        assert_eq!(body["tasks"].as_array().unwrap().len(), 2);

        let created = app.post("/api/playbooks", body).await;
        created.assert_status(201);
        let id = created.body["data"]["id"].clone();
        let yaml = app.get(&format!("/api/playbooks/{id}/yaml")).await;
        yaml.assert_status(200);
        assert!(yaml.text.contains("ansible.builtin.apt"), "{}", yaml.text);
        assert!(yaml.text.contains("update_cache: true"), "{}", yaml.text);
        if ansible {
            let check =
                control_hub::syntax_check("ansible-playbook".into(), Duration::from_secs(60));
            let text = yaml.text.clone();
            let checked = actix_web::web::block(move || check.check(&text))
                .await
                .unwrap();
            assert_eq!(checked, Ok(()));
        }
    }
);

ai_test!(a_task_list_is_offered_as_a_play_on_all, |backend| {
    let answer = fenced("- name: Ping them\n  ansible.builtin.ping:\n");
    let llm = FakeLlm::start(Reply::Answer(answer));
    let Some(app) = ai_app(backend, &AiSetup::at(llm.base_url())).await else {
        return;
    };
    let reply = app.ask("ping", None).await;
    let actions = reply.body["data"]["suggestedActions"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(actions.len(), 1, "{}", reply.body);
    assert_eq!(actions[0]["data"]["main"]["hosts"], "all");
    app.post("/api/playbooks", actions[0]["data"].clone())
        .await
        .assert_status(201);
});

ai_test!(
    broken_playbooks_are_not_offered_and_the_answer_stands,
    |backend| {
        let mut broken = vec![
            // Bad YAML.
            fenced("- hosts: web\n  tasks:\n    - name: [unclosed\n"),
            // A play without hosts.
            fenced(
                "- name: Nowhere\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n",
            ),
            // Two plays: a hub playbook is one.
            fenced("- hosts: a\n  tasks: []\n- hosts: b\n  tasks: []\n"),
        ];
        let ansible = ansible_installed();
        if ansible {
            // Only Ansible itself knows these are wrong.
            broken.push(fenced(
            "- hosts: web\n  gather_facts: false\n  tasks:\n    - name: Nope\n      no_such_module_anywhere:\n        name: nginx\n",
        ));
            broken.push(fenced(
            "- hosts: web\n  gather_facts: false\n  tasks:\n    - name: Two actions\n      ansible.builtin.debug:\n        msg: hi\n      bogus_argument: 1\n",
        ));
        }
        let llm = FakeLlm::start(Reply::Answer("unused".into()));
        for answer in &broken {
            llm.then(Reply::Answer(answer.clone()));
        }
        let Some(app) = ai_app(backend, &AiSetup::at(llm.base_url())).await else {
            return;
        };
        for answer in &broken {
            let reply = app.ask("write me a playbook", None).await;
            reply.assert_status(200);
            let data = &reply.body["data"];
            assert_eq!(data["suggestedActions"], json!([]), "{answer}");
            assert_eq!(data["aiResponse"]["text"], answer.as_str());
            let id = data["conversationId"].as_str().unwrap();
            assert_eq!(app.stored_messages(id).await.len(), 2);
        }
    }
);
